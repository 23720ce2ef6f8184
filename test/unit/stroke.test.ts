/**
 * A pen stroke as a canvas traces it: a lone sample is a dot the width of the pen; longer strokes
 * start at the first sample, run through the midpoints between samples with the samples as
 * control points (so no corner at any joint), and end at the last sample.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { traceStroke, type StrokeContext } from '../../src/components/lib/draw/stroke.ts';

/** A context that records the calls made on it. */
function recorder(): { ctx: StrokeContext; calls: [string, ...number[]][] } {
  const calls: [string, ...number[]][] = [];
  const record =
    (name: string) =>
    (...args: number[]) => {
      calls.push([name, ...args]);
    };
  const ctx = {
    beginPath: record('beginPath'),
    arc: record('arc'),
    fill: record('fill'),
    moveTo: record('moveTo'),
    quadraticCurveTo: record('quadraticCurveTo'),
    lineTo: record('lineTo'),
    stroke: record('stroke'),
  } as unknown as StrokeContext;
  return { ctx, calls };
}

test('a single sample is a filled dot as wide as the pen', () => {
  const { ctx, calls } = recorder();
  traceStroke(ctx, [30, 40], 20);
  assert.deepEqual(calls, [['beginPath'], ['arc', 30, 40, 10, 0, 2 * Math.PI], ['fill']]);
});

test('two samples are a straight line between them', () => {
  const { ctx, calls } = recorder();
  traceStroke(ctx, [0, 0, 10, 5], 20);
  assert.deepEqual(calls, [['beginPath'], ['moveTo', 0, 0], ['lineTo', 10, 5], ['stroke']]);
});

test('a square of four samples: curves through the midpoints, the samples as control points', () => {
  const { ctx, calls } = recorder();
  traceStroke(ctx, [0, 0, 10, 0, 10, 10, 0, 10], 20);
  assert.deepEqual(calls, [['beginPath'], ['moveTo', 0, 0], ['quadraticCurveTo', 10, 0, 10, 5], ['quadraticCurveTo', 10, 10, 5, 10], ['lineTo', 0, 10], ['stroke']]);
});

test('every joint between curves lies midway between their control points, so the line has no corner', () => {
  const points = [3, 7, 40, 12, 55, 60, 20, 90, 8, 44, 70, 30];
  const { ctx, calls } = recorder();
  traceStroke(ctx, points, 20);
  const curves = calls.filter((c) => c[0] === 'quadraticCurveTo').map((c) => c.slice(1) as number[]);
  assert.equal(curves.length, points.length / 2 - 2);
  for (let j = 0; j + 1 < curves.length; j++) {
    const [cx, cy, ex, ey] = curves[j]!;
    const [nx, ny] = curves[j + 1]!;
    assert.equal(ex, (cx! + nx!) / 2);
    assert.equal(ey, (cy! + ny!) / 2);
  }
  // The path starts at the first sample and ends at the last.
  assert.deepEqual(calls[1], ['moveTo', 3, 7]);
  assert.deepEqual(calls.at(-2), ['lineTo', 70, 30]);
});
