/**
 * Claims of group "collapse" (src/claims/collapse.json): chapter 5's two links on posterior
 * collapse, each trained in Node as the full panel trains it (scripts/lib/panel-runs.ts) for
 * COLLAPSE_STEPS steps: the MLP with a 16-D code and β = 4, without help and with a KL warm-up
 * and free bits (COLLAPSE_PRESETS in src/vae/panel-recipe.ts). At the last step, the snapshot's
 * active units (Cov_x E_q[z_u] > 0.01 on the panel's test images), test KL and reconstruction.
 *
 *   collapse.collapsedActive, collapse.keptActive   active units of 16
 *   collapse.collapsedKl, collapse.keptKl           the test KL, nats
 *   collapse.collapsedRec, collapse.keptRec         the test reconstruction term, nats
 *   collapse.collapsedLargestKl                      the largest mean KL of one unit, collapsed run
 *   collapse.collapsedOffKl                          the largest mean KL of an inactive unit, collapsed run
 */
import { initBackend } from '../../../src/vae/backend.ts';
import { COLLAPSE_PRESETS, COLLAPSE_STEPS } from '../../../src/vae/panel-recipe.ts';
import { loadPanelData, panelRun, panelSizesFromChapters, type PanelSnapshot } from '../panel-runs.ts';

export async function compute(): Promise<Record<string, number>> {
  await initBackend({ prefer: ['wasm'] });
  const sizes = panelSizesFromChapters();
  const mnist = await loadPanelData('mnist', sizes);
  const at = (settings: (typeof COLLAPSE_PRESETS)[keyof typeof COLLAPSE_PRESETS]): PanelSnapshot => {
    const run = panelRun(settings, mnist, sizes, COLLAPSE_STEPS, [COLLAPSE_STEPS]);
    const snapshot = run.snapshots.get(COLLAPSE_STEPS);
    if (!snapshot) throw new Error(`The run stopped before step ${COLLAPSE_STEPS}${run.diverged ? ` (it diverged at step ${run.diverged.step})` : ''}`);
    return snapshot;
  };
  const collapsed = at(COLLAPSE_PRESETS.collapsed);
  const kept = at(COLLAPSE_PRESETS.kept);
  const off = collapsed.unitKl.filter((_, u) => collapsed.activity[u]! <= collapsed.threshold);
  return {
    'collapse.collapsedActive': collapsed.active,
    'collapse.keptActive': kept.active,
    'collapse.collapsedKl': collapsed.kl,
    'collapse.keptKl': kept.kl,
    'collapse.collapsedRec': collapsed.reconstruction,
    'collapse.keptRec': kept.reconstruction,
    'collapse.collapsedLargestKl': Math.max(...collapsed.unitKl),
    'collapse.collapsedOffKl': off.length > 0 ? Math.max(...off) : 0,
  };
}
