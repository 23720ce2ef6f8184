/**
 * The reader's choice of TF.js backend for a task, as a `<select>` of `auto` and the backend
 * names: it shows the saved choice (or the URL's `?backend=`), saves a new one and tells the
 * figure, which restarts on it. Figures that decode and the training panel share it.
 */
import type { Task } from '../../../vae/probe-result.ts';
import { BACKENDS, backendPlan, saveChoice, type BackendChoice } from '../engine/backend-choice.ts';

const CHOICES: readonly string[] = ['auto', ...BACKENDS];

/** Whether a value names a choice the picker offers. */
function isBackendChoice(value: string): value is BackendChoice {
  return CHOICES.includes(value);
}

/** Wires `select` to the saved choice for `task`; `change` runs after each new choice is saved. */
export function backendPicker(select: HTMLSelectElement, task: Task, change: (choice: BackendChoice) => void, signal?: AbortSignal): void {
  select.value = backendPlan(task).choice;
  select.disabled = false;
  select.addEventListener(
    'change',
    () => {
      if (!isBackendChoice(select.value)) return;
      saveChoice(task, select.value);
      change(select.value);
    },
    signal ? { signal } : {},
  );
}
