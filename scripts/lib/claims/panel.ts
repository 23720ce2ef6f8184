/**
 * Claims of group "panel" (src/claims/panel.json): what chapter 5's training panel shows with
 * its default settings and with one setting changed, from runs repeated in Node with the
 * panel's engine code (scripts/lib/panel-runs.ts: same spec, seed, batch size, learning rate,
 * images and test measurement). The default settings are PANEL_DEFAULTS (src/vae/panel-recipe.ts):
 * MNIST, the MLP, a 2-D code, β = 1, learning rate 0.002, batches of 64.
 *
 * The chart draws each step's training-batch terms, which jump from batch to batch, so a "KL at
 * step s" is their mean over the 11 steps s − 5 … s + 5. Test numbers are the snapshot's: the
 * loss terms on the panel's 500 fixed test images with fixed ε, after exactly that step.
 *
 *   klPeakFirst10, klPeakStep     the largest training KL of steps 1–10, and its step
 *   klStep30, klStep150           the training KL around steps 30 and 150
 *   klStep400Beta4|1|025          the training KL around step 400 at β = 4, 1, 0.25 (what the readout shows)
 *   testKlStep400Beta4|1|025      the test KL after step 400 at β = 4, 1, 0.25
 *   axisStep400Beta4|1|025        the scatter's axis range (±) after step 400 at β = 4, 1, 0.25
 *   z16KlMin, z16KlMinStep        latent size 16: the lowest 11-step mean training KL between the
 *                                 first burst's peak (steps 1–10) and step 100, and its centre step
 *   z16|z2TestKlStep300, …Rec…    latent size 16 and 2: test KL and reconstruction after step 300
 *   mnistTestLossStep400, fashionTestLossStep400   the test loss after step 400, MNIST and Fashion-MNIST
 *   lr01PeakLoss, lr01PeakStep    learning rate 0.1: the largest training loss of steps 1–20, and its step
 *   lr01LossStep2                 learning rate 0.1: the training loss of step 2
 *   lr100DivergedStep             learning rate 100: the step whose loss or gradient is not finite
 *
 * About 50 s on one core of a 2-core machine: seven runs, 1,950 steps of the MLP in all.
 */
import { initBackend } from '../../../src/vae/backend.ts';
import { PANEL_DEFAULTS, type PanelChoice } from '../../../src/vae/panel-recipe.ts';
import type { StepReport } from '../../../src/vae/train.ts';
import { loadPanelData, panelRun, panelSizesFromChapters, type PanelRun, type PanelSnapshot } from '../panel-runs.ts';

/** Half the window of steps a training term is averaged over: s − 5 … s + 5. */
const HALF_WINDOW = 5;

/** The mean of a training term over the steps around `step` (the run must reach step + HALF_WINDOW). */
function around(run: PanelRun, step: number, term: (r: StepReport) => number): number {
  const from = step - HALF_WINDOW;
  const to = step + HALF_WINDOW;
  if (from < 1 || run.steps.length < to) throw new Error(`The run has ${run.steps.length} steps; the mean around step ${step} needs steps ${from} to ${to}`);
  let sum = 0;
  for (let s = from; s <= to; s++) sum += term(run.steps[s - 1]!);
  return sum / (to - from + 1);
}

/** The largest value of a training term over steps from … to, and its step. */
function peak(run: PanelRun, from: number, to: number, term: (r: StepReport) => number): { value: number; step: number } {
  let best = { value: -Infinity, step: 0 };
  for (let s = from; s <= Math.min(to, run.steps.length); s++) if (term(run.steps[s - 1]!) > best.value) best = { value: term(run.steps[s - 1]!), step: s };
  if (best.step === 0) throw new Error(`The run has no steps from ${from} to ${to}`);
  return best;
}

function snapshotAt(run: PanelRun, step: number): PanelSnapshot {
  const snapshot = run.snapshots.get(step);
  if (!snapshot) throw new Error(`The run took no snapshot after step ${step}${run.diverged ? ` (it diverged at step ${run.diverged.step})` : ''}`);
  return snapshot;
}

const kl = (r: StepReport) => r.kl;
const loss = (r: StepReport) => r.loss;

export async function compute(): Promise<Record<string, number>> {
  await initBackend({ prefer: ['wasm'] });
  const sizes = panelSizesFromChapters();
  const mnist = await loadPanelData('mnist', sizes);
  const fashion = await loadPanelData('fashion', sizes);
  const settings = (change: Partial<PanelChoice>): PanelChoice => ({ ...PANEL_DEFAULTS, ...change });
  const last = 400 + HALF_WINDOW;

  const base = panelRun(settings({}), mnist, sizes, last, [300, 400]);
  const beta4 = panelRun(settings({ beta: 4 }), mnist, sizes, last, [400]);
  const beta025 = panelRun(settings({ beta: 0.25 }), mnist, sizes, last, [400]);
  const z16 = panelRun(settings({ latentDim: 16 }), mnist, sizes, 300, [300]);
  const clothes = panelRun(settings({ dataset: 'fashion' }), fashion, sizes, 400, [400]);
  const lr01 = panelRun(settings({ learningRate: 0.1 }), mnist, sizes, 20);
  const lr100 = panelRun(settings({ learningRate: 100 }), mnist, sizes, 10);

  const burst = peak(base, 1, 10, kl);
  // After latent size 16's first burst, the 11-step mean KL at its lowest (centres up to step 100).
  const z16Burst = peak(z16, 1, 10, kl);
  let z16Low = { value: Infinity, step: 0 };
  for (let s = Math.max(z16Burst.step, 1 + HALF_WINDOW); s <= 100; s++) {
    const value = around(z16, s, kl);
    if (value < z16Low.value) z16Low = { value, step: s };
  }
  const lrPeak = peak(lr01, 1, 20, loss);
  if (!lr100.diverged) throw new Error('At learning rate 100 the run did not diverge within 10 steps');

  return {
    'panel.klPeakFirst10': burst.value,
    'panel.klPeakStep': burst.step,
    'panel.klStep30': around(base, 30, kl),
    'panel.klStep150': around(base, 150, kl),
    'panel.klStep400Beta4': around(beta4, 400, kl),
    'panel.klStep400Beta1': around(base, 400, kl),
    'panel.klStep400Beta025': around(beta025, 400, kl),
    'panel.testKlStep400Beta4': snapshotAt(beta4, 400).kl,
    'panel.testKlStep400Beta1': snapshotAt(base, 400).kl,
    'panel.testKlStep400Beta025': snapshotAt(beta025, 400).kl,
    'panel.axisStep400Beta4': snapshotAt(beta4, 400).axis,
    'panel.axisStep400Beta1': snapshotAt(base, 400).axis,
    'panel.axisStep400Beta025': snapshotAt(beta025, 400).axis,
    'panel.z16KlMin': z16Low.value,
    'panel.z16KlMinStep': z16Low.step,
    'panel.z16TestKlStep300': snapshotAt(z16, 300).kl,
    'panel.z2TestKlStep300': snapshotAt(base, 300).kl,
    'panel.z16TestRecStep300': snapshotAt(z16, 300).reconstruction,
    'panel.z2TestRecStep300': snapshotAt(base, 300).reconstruction,
    'panel.mnistTestLossStep400': snapshotAt(base, 400).loss,
    'panel.fashionTestLossStep400': snapshotAt(clothes, 400).loss,
    'panel.lr01PeakLoss': lrPeak.value,
    'panel.lr01PeakStep': lrPeak.step,
    'panel.lr01LossStep2': lr01.steps[1]!.loss,
    'panel.lr100DivergedStep': lr100.diverged.step,
  };
}
