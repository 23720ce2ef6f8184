/**
 * What a backend probe measured, and its one-line description: free of TF.js, so a page can
 * show a worker's probe without loading the engine.
 */
import type { BackendName } from './backend.ts';

export type Task = 'decode' | 'train';

export interface ProbeResult {
  backend: BackendName;
  /** Milliseconds per decoded digit, or per trained image; undefined if the backend failed. */
  ms?: number;
  error?: string;
}

/** "wasm 0.6 ms per digit, webgl: not available, cpu: not timed, …": a probe summary for the reader. */
export function describeProbe(results: ProbeResult[], unit: string): string {
  return results.map((r) => (r.ms === undefined ? `${r.backend}: ${r.error ?? 'failed'}` : `${r.backend} ${r.ms < 10 ? r.ms.toFixed(1) : r.ms.toFixed(0)} ${unit}`)).join(', ');
}
