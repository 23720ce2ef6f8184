/**
 * The reader's backend choice per task, and what a probe measured fastest on this device,
 * kept in localStorage. `?backend=NAME` in the URL overrides the choice for one visit.
 */
import type { BackendName } from '../../../vae/backend.ts';
import type { Task } from '../../../vae/probe-result.ts';

export const BACKENDS: BackendName[] = ['wasm', 'webgl', 'cpu'];
export type BackendChoice = 'auto' | BackendName;

/** What to start: the reader's choice, and the backend a past probe found fastest, if any. */
export interface BackendPlan {
  choice: BackendChoice;
  remembered?: BackendName | undefined;
}

const key = (task: Task, what: 'choice' | 'fastest') => `latent-lab-backend-${task}-${what}`;

function read(name: string): string | null {
  try {
    return localStorage.getItem(name);
  } catch {
    return null;
  }
}

function write(name: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(name);
    else localStorage.setItem(name, value);
  } catch {
    // Storage may be off (private mode); the choice then lasts for this page only.
  }
}

const isBackend = (v: string | null): v is BackendName => BACKENDS.includes(v as BackendName);

export function backendPlan(task: Task): BackendPlan {
  const fromUrl = new URLSearchParams(location.search).get('backend');
  const stored = read(key(task, 'choice'));
  const choice: BackendChoice = isBackend(fromUrl) ? fromUrl : isBackend(stored) ? stored : 'auto';
  const fastest = read(key(task, 'fastest'));
  return { choice, remembered: isBackend(fastest) ? fastest : undefined };
}

export function saveChoice(task: Task, choice: BackendChoice): void {
  write(key(task, 'choice'), choice === 'auto' ? null : choice);
}

export function rememberFastest(task: Task, backend: BackendName): void {
  write(key(task, 'fastest'), backend);
}
