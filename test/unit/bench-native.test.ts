/**
 * The native reference's runner says why it did not run, in words the bench passes on with how
 * to install PyTorch: here with a `python3` on PATH that has no torch (as a machine without
 * Debian's python3-torch), with none at all, and with a torch on the reference BLAS.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { NATIVE_HOWTO, runNative } from '../../scripts/lib/bench-native.ts';
import { ROOT } from '../../scripts/lib/files.ts';

function withPath<T>(dir: string, f: () => T): T {
  const saved = process.env['PATH'];
  process.env['PATH'] = dir;
  try {
    return f();
  } finally {
    process.env['PATH'] = saved;
  }
}

test('without torch, and without python3, the reference reports what is missing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'latent-lab-native-'));
  try {
    assert.deepEqual(withPath(dir, () => runNative(ROOT, ['python3'])), { missing: 'python3 did not start' });
    const python = join(dir, 'python3');
    writeFileSync(python, "#!/bin/sh\necho \"ModuleNotFoundError: No module named 'torch'\" >&2\nexit 1\n");
    chmodSync(python, 0o755);
    assert.deepEqual(withPath(dir, () => runNative(ROOT, ['python3'])), { missing: 'python3 has no PyTorch' });
    // A torch on the reference BLAS is not a fair reference.
    writeFileSync(python, `#!/bin/sh\necho '{"torch":"1.13","imagesPerSec":120,"threads":2,"byThreads":{},"parameters":1,"blas":"/usr/lib/x86_64-linux-gnu/blas/libblas.so.3"}'\n`);
    assert.deepEqual(withPath(dir, () => runNative(ROOT, ['python3'])), { missing: 'its PyTorch multiplies with /usr/lib/x86_64-linux-gnu/blas/libblas.so.3, not OpenBLAS' });
    assert.match(NATIVE_HOWTO, /apt-get install python3-torch/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
