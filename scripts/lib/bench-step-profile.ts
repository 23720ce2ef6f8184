/**
 * The training step's profile for `npm run bench` (`-- --step-profile-only` for it alone): the
 * parts of one step of the seed model at batch 128 on the wasm backend, in Node and in headless
 * Chromium side by side (src/vae/step-profile.ts says how each kernel is named), then the
 * costliest kernels.
 */
import type { StepProfile } from '../../src/vae/step-profile.ts';
import { STEP_PARTS } from '../../src/vae/step-profile.ts';

const pad = (s: string, n: number) => s.padEnd(n);
const num = (v: number | undefined, digits = 1) => (v === undefined ? '–' : v.toFixed(digits)).padStart(8);
const pct = (v: number | undefined) => (v === undefined ? '–' : `${(100 * v).toFixed(1)} %`).padStart(8);

export function stepProfileTable(profiles: { where: string; profile: StepProfile }[], top = 12): string {
  const lines: string[] = [];
  const head = profiles.map((p) => `${p.where} ms`.padStart(8) + ' share'.padStart(9)).join('  ');
  const first = profiles[0]?.profile;
  lines.push(`One training step of ${first?.model ?? '?'} at batch ${first?.batch ?? '?'} on wasm, by part:`);
  lines.push(`${pad('part', 62)}${head}`);
  for (const part of STEP_PARTS) {
    const cells = profiles.map(({ profile }) => {
      const p = profile.parts.find((x) => x.part === part);
      return `${num(p?.ms)} ${pct(p?.share)}`;
    });
    lines.push(`${pad(part, 62)}${cells.join('  ')}`);
  }
  lines.push(`${pad('step (profiled)', 62)}${profiles.map(({ profile }) => `${num(profile.stepMs)} ${''.padStart(8)}`).join('  ')}`);
  lines.push(`${pad('step without the profiler', 62)}${profiles.map(({ profile }) => `${num(profile.plainStepMs)} ${''.padStart(8)}`).join('  ')}`);
  for (const { where, profile } of profiles) {
    lines.push('', `${where}: the ${top} costliest kernels (ms per step; GFLOP/s of a layer's product)`);
    for (const k of profile.kernels.slice(0, top)) lines.push(`${num(k.ms, 2)}  ${k.gflops === undefined ? ''.padStart(8) : num(k.gflops)}  ${pad(k.role, 44)} ${k.kernel}`);
  }
  return lines.join('\n');
}
