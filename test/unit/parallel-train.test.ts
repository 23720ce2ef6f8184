/**
 * Data-parallel training (worker threads, one replica each) must follow the same trajectory as
 * one Trainer: the same plan per step, and the mean gradient assembled from slices.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadSplit, type ImageSet } from '../../src/vae/data.ts';
import { buildVae, disposeVae } from '../../src/vae/model.ts';
import { getSpec } from '../../src/vae/spec.ts';
import { loadVae, vaeToFiles } from '../../src/vae/io.ts';
import { answerReplicaRequest, parallelStep, replicaOverPort, type ReplicaReply } from '../../src/vae/data-parallel.ts';
import { computeTestShare, splitTestWork } from '../../src/vae/snapshot-shares.ts';
import { DivergedError, Trainer, type StepReport, type TrainerCheckpoint } from '../../src/vae/train.ts';
import { readPublic } from '../../scripts/lib/files.ts';
import { ParallelTrainer } from '../../scripts/lib/parallel-trainer.ts';
import { maxAbs, maxAbsDiff, useWasm, weightsOf } from './helpers.ts';
import { BatchBalance, type ShareTiming } from '../../src/vae/batch-balance.ts';

const spec = getSpec('mnist-conv-z2');
const options = { batchSize: 64, learningRate: 1e-3, seed: 5, klWarmupSteps: 10 };
let data: ImageSet;

before(async () => {
  await useWasm();
  data = await loadSplit(readPublic, 'data/mnist', 'train', { limit: 512 });
});

describe('ParallelTrainer', () => {
  let parallel: ParallelTrainer;
  let single: Trainer;
  after(async () => {
    await parallel?.dispose();
    single?.dispose();
    if (parallel) disposeVae(parallel.vae);
    if (single) disposeVae(single.vae);
  });

  test('two replicas take the same steps as one Trainer, to float rounding', async () => {
    single = new Trainer(buildVae(spec), data, options);
    parallel = await ParallelTrainer.create(buildVae(spec), data, options, 2, 'data/mnist');
    const a: StepReport[] = [];
    const b: StepReport[] = [];
    for (let i = 0; i < 4; i++) {
      a.push(single.step());
      b.push(await parallel.step());
    }
    for (let i = 0; i < 4; i++) {
      assert.equal(b[i]!.step, a[i]!.step);
      assert.equal(b[i]!.beta, a[i]!.beta);
      for (const key of ['loss', 'reconstruction', 'kl'] as const) {
        assert.ok(Math.abs(b[i]![key] - a[i]![key]) <= 1e-3 * Math.max(1, Math.abs(a[i]![key])), `step ${i + 1} ${key}: parallel ${b[i]![key]} vs single ${a[i]![key]}`);
      }
    }
    const wa = weightsOf(single.vae);
    const wb = weightsOf(parallel.vae);
    assert.equal(wb.length, wa.length);
    wa.forEach((x, i) => {
      let worst = 0;
      let scale = 0;
      for (let k = 0; k < x.length; k++) {
        worst = Math.max(worst, Math.abs(x[k]! - wb[i]![k]!));
        scale = Math.max(scale, Math.abs(x[k]!));
      }
      assert.ok(worst <= 1e-4 * Math.max(scale, 1e-3), `weight tensor ${i}: max difference ${worst} (scale ${scale})`);
    });
    // And the loss went down, so the steps did something.
    assert.ok(b[3]!.loss < b[0]!.loss);
  });
});

describe('ParallelTrainer resumed from a checkpoint folder', () => {
  test('with a cosine schedule: the replicas start from the checkpoint and take the same steps as the run that never stopped', async () => {
    const scheduled = { ...options, learningRateDecay: { steps: 6, final: 1e-4 } };
    const straight = new Trainer(buildVae(spec), data, scheduled);
    const straightReports = Array.from({ length: 6 }, () => straight.step());

    const first = new Trainer(buildVae(spec), data, scheduled);
    for (let i = 0; i < 3; i++) first.step();
    const dir = await mkdtemp(join(tmpdir(), 'latent-lab-resume-'));
    const checkpoint = JSON.parse(JSON.stringify(await first.checkpoint())) as TrainerCheckpoint;
    const files = await vaeToFiles(first.vae);
    for (const [name, bytes] of Object.entries(files)) {
      await mkdir(join(dir, name, '..'), { recursive: true });
      await writeFile(join(dir, name), bytes);
    }
    await writeFile(join(dir, 'trainer.json'), JSON.stringify(checkpoint));
    first.dispose();
    disposeVae(first.vae);

    const vae = await loadVae(spec, async (p) => new Uint8Array(await readFile(join(dir, p))), '.');
    const resumed = await ParallelTrainer.create(vae, data, scheduled, 2, 'data/mnist', { dir, checkpoint });
    try {
      assert.equal(resumed.steps, 3);
      const reports: StepReport[] = [];
      for (let i = 0; i < 3; i++) reports.push(await resumed.step());
      reports.forEach((r, i) => {
        const s = straightReports[i + 3]!;
        assert.equal(r.step, s.step);
        assert.equal(r.learningRate, s.learningRate, `step ${r.step}: the schedule's rate`);
        assert.ok(Math.abs(r.loss - s.loss) <= 1e-3 * Math.abs(s.loss), `step ${r.step}: parallel ${r.loss} vs straight ${s.loss}`);
      });
    } finally {
      await resumed.dispose();
      disposeVae(resumed.vae);
      straight.dispose();
      disposeVae(straight.vae);
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('parallelStep with the coordinator computing a share (as the page does)', () => {
  /** A replica in this thread: a second Trainer behind the same message protocol as a worker's. */
  function inProcessReplica(options: typeof base, test?: ImageSet) {
    const trainer = new Trainer(buildVae(spec), data, options);
    let receive: (reply: ReplicaReply) => void = () => {};
    const port = replicaOverPort((msg) => {
      const reply = answerReplicaRequest(trainer, JSON.parse(JSON.stringify(msg, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v)), (key, v) => (key === 'indices' ? Uint32Array.from(v) : key === 'eps' ? Float32Array.from(v) : key === 'grads' ? (v as number[][]).map((g) => Float32Array.from(g)) : v)), test);
      if (reply) queueMicrotask(() => receive(reply));
    });
    receive = port.receive;
    return { trainer, replica: port.replica };
  }
  const base = { ...options };

  test('coordinator + one replica take the same steps as one Trainer, and keep identical weights', async () => {
    const single = new Trainer(buildVae(spec), data, base);
    const coordinator = new Trainer(buildVae(spec), data, base);
    const { trainer: other, replica } = inProcessReplica(base);
    try {
      for (let i = 0; i < 3; i++) {
        const a = single.step();
        const b = await parallelStep(coordinator, [replica]);
        assert.ok(Math.abs(a.loss - b.loss) <= 1e-3 * a.loss, `step ${i + 1}: ${b.loss} vs ${a.loss}`);
      }
      assert.deepEqual(weightsOf(other.vae), weightsOf(coordinator.vae), 'the replica and the coordinator hold the same weights');
    } finally {
      for (const t of [single, coordinator, other]) {
        t.dispose();
        disposeVae(t.vae);
      }
    }
  });

  test('a balanced split (here skewed 53 : 11) takes the same steps as one Trainer, and the balance learns from each step', async () => {
    const single = new Trainer(buildVae(spec), data, base);
    const coordinator = new Trainer(buildVae(spec), data, base);
    const { trainer: other, replica } = inProcessReplica(base);
    const balance = new BatchBalance(2);
    // As if the replica started 20 ms late and took 3 ms an image, the coordinator 1 ms: both are
    // done at T = (64 + 20 / 3) / (1 + 1 / 3) = 53 ms with 53 images here and (53 − 20) / 3 = 11 there.
    balance.record([0, 32, 64], 0, [
      { computeMs: 32, finishedAt: 32 },
      { computeMs: 96, finishedAt: 116 },
    ]);
    const skewed = balance.bounds(64);
    assert.deepEqual(skewed, [0, 53, 64]);
    try {
      const timings: unknown[] = [];
      const watched = { ...replica, gradients: async (...args: Parameters<typeof replica.gradients>) => {
        const share = await replica.gradients(...args);
        timings.push(share.timing);
        return share;
      } };
      for (let i = 0; i < 3; i++) {
        const a = single.step();
        const b = await parallelStep(coordinator, [watched], { balance });
        assert.ok(Math.abs(a.loss - b.loss) <= 1e-3 * a.loss, `step ${i + 1}: ${b.loss} vs ${a.loss}`);
      }
      assert.deepEqual(weightsOf(other.vae), weightsOf(coordinator.vae), 'the replica and the coordinator hold the same weights');
      const wa = weightsOf(single.vae).flat();
      const wb = weightsOf(coordinator.vae).flat();
      assert.ok(maxAbsDiff(wa, wb) <= 1e-4 * Math.max(maxAbs(wa), 1e-3), 'the same weights as one Trainer, to float rounding');
      // The replica says how long its share took; the balance moved the split from its skew.
      for (const t of timings) assert.ok((t as ShareTiming).computeMs > 0 && Number.isFinite((t as ShareTiming).finishedAt));
      assert.notDeepEqual(balance.bounds(64), skewed);
    } finally {
      for (const t of [single, coordinator, other]) {
        t.dispose();
        disposeVae(t.vae);
      }
    }
  });

  test('a replica computes its share of a snapshot on the weights it shares with the coordinator', async () => {
    const testSet = await loadSplit(readPublic, 'data/mnist', 'test', { limit: 60 });
    const coordinator = new Trainer(buildVae(spec), data, base);
    const { trainer: other, replica } = inProcessReplica(base, testSet);
    const { trainer: bare, replica: without } = inProcessReplica(base);
    try {
      for (let i = 0; i < 2; i++) await parallelStep(coordinator, [replica]);
      const shares = splitTestWork(testSet.count, 40, 2);
      const here = computeTestShare(coordinator.vae, testSet, 40, shares[1]!, 7);
      const there = await replica.testShare(shares[1]!, 40, 7);
      assert.deepEqual(Array.from(there.mu), Array.from(here.mu), 'the same codes');
      assert.equal(there.reconstruction, here.reconstruction);
      assert.equal(there.kl, here.kl);
      // Replies come back in order: a step after the share still gets its gradients.
      await parallelStep(coordinator, [replica]);
      assert.deepEqual(weightsOf(other.vae), weightsOf(coordinator.vae));
      await assert.rejects(without.testShare(shares[1]!, 40, 7), /holds no test images/);
    } finally {
      for (const t of [coordinator, other, bare]) {
        t.dispose();
        disposeVae(t.vae);
      }
    }
  });

  test('a replica whose share diverges makes the step fail as a DivergedError, with no update anywhere', async () => {
    const absurd = { ...base, learningRate: 1e6 };
    const coordinator = new Trainer(buildVae(spec), data, absurd);
    const { trainer: other, replica } = inProcessReplica(absurd);
    try {
      let error: unknown;
      for (let i = 0; i < 30 && !error; i++) {
        try {
          await parallelStep(coordinator, [replica]);
        } catch (err) {
          error = err;
        }
      }
      assert.ok(error instanceof DivergedError, `expected a DivergedError, got ${String(error)}`);
      assert.deepEqual(weightsOf(other.vae), weightsOf(coordinator.vae));
      // Both go back one update, together.
      coordinator.rollBack();
      replica.rollBack();
      await new Promise((resolve) => setTimeout(resolve, 0));
      assert.equal(other.steps, coordinator.steps);
      assert.deepEqual(weightsOf(other.vae), weightsOf(coordinator.vae), 'identical weights after rolling back');
    } finally {
      for (const t of [coordinator, other]) {
        t.dispose();
        disposeVae(t.vae);
      }
    }
  });
});
