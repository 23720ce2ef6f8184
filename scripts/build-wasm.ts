/**
 * npm run build:wasm
 *
 * Assembles the hand-written WebAssembly of the composed kernels (src/vae/kernels/wasm/helpers.wat)
 * into src/vae/kernels/wasm/helpers.wasm.ts, which the engine imports. Run it after editing the
 * .wat; a unit test fails while the two disagree.
 */
import { writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { assembleHelpers, GENERATED, helpersModuleSource } from './lib/assemble-wasm.ts';

const binaries = await assembleHelpers();
await writeFile(GENERATED, helpersModuleSource(binaries));
console.log(`wrote ${relative(process.cwd(), GENERATED)}: ${binaries.plain.length} bytes of wasm (and the shared-memory variant)`);
