/**
 * The arithmetic of the page vitals that `npm run bench -- --vitals-only` prints: total blocking
 * time, cumulative layout shift and the table, against numbers worked out by hand.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layoutShift, manifoldSection, missedTargets, totalBlockingTime, vitalsTable, type VitalsRow } from '../../scripts/lib/bench-vitals.ts';

test('total blocking time counts past 50 ms of each task, clipped to first contentful paint and the window', () => {
  const tasks = [
    { startTime: 0, duration: 120 }, // 100–120 after FCP: 20 ms, under 50: nothing
    { startTime: 50, duration: 200 }, // 100–250: 150 ms, 100 blocking
    { startTime: 300, duration: 80 }, // 30
    { startTime: 400, duration: 50 }, // exactly 50: nothing
    { startTime: 900, duration: 300 }, // 900–1000 within the window: 50
    { startTime: 1200, duration: 500 }, // after the window: nothing
  ];
  assert.equal(totalBlockingTime(tasks, 100, 1000), 100 + 30 + 50);
  assert.equal(totalBlockingTime([], 100, 1000), 0);
});

test('layout shift: the largest session window, ignoring shifts after input', () => {
  const shifts = [
    { startTime: 100, value: 0.01, hadRecentInput: false },
    { startTime: 900, value: 0.02, hadRecentInput: false }, // same window: 0.03
    { startTime: 1000, value: 0.5, hadRecentInput: true }, // after input: ignored
    { startTime: 2500, value: 0.006, hadRecentInput: false }, // 1.6 s gap: new window
    { startTime: 3400, value: 0.006, hadRecentInput: false },
    { startTime: 4300, value: 0.006, hadRecentInput: false },
    { startTime: 5200, value: 0.006, hadRecentInput: false },
    { startTime: 6100, value: 0.006, hadRecentInput: false },
    { startTime: 7000, value: 0.006, hadRecentInput: false }, // 4.5 s in: still this window: 6 × 0.006 = 0.036
    { startTime: 7600, value: 0.004, hadRecentInput: false }, // 5.1 s after its start: new window
  ];
  const { cls, sum } = layoutShift(shifts);
  assert.ok(Math.abs(cls - 0.036) < 1e-12, String(cls));
  assert.ok(Math.abs(sum - 0.07) < 1e-12, String(sum));
  assert.deepEqual(layoutShift([]), { cls: 0, sum: 0 });
});

const row = (over: Partial<VitalsRow>): VitalsRow => ({
  page: '/',
  condition: 'cold',
  lcpMs: 812,
  cls: 0.0042,
  clsSum: 0.0042,
  tbtMs: 37.6,
  longestTaskMs: 87.6,
  firstLiveDigitMs: null,
  digitMethod: 'not measured',
  windowMs: 5000,
  networkQuiet: true,
  serviceWorker: false,
  ...over,
});

test('targets apply to the unthrottled rows', () => {
  assert.deepEqual(missedTargets(row({})), []);
  assert.deepEqual(missedTargets(row({ lcpMs: 1000, cls: 0.01, tbtMs: 150, firstLiveDigitMs: 1200, digitMethod: 'mark' })), ['LCP', 'CLS', 'TBT', 'digit']);
  assert.deepEqual(missedTargets(row({ condition: 'cold, throttled', lcpMs: 4000 })), []);
});

test('the table: one row per page and condition, numbers aligned right, misses named', () => {
  const table = vitalsTable([row({}), row({ page: '/chapters/some-chapter/#walk', condition: 'warm', lcpMs: 1530, tbtMs: 240, firstLiveDigitMs: 640, digitMethod: 'data-z' })]);
  assert.equal(
    table,
    [
      'page                          condition  LCP s (<1.0)  CLS (<0.01)  TBT ms (<100)  longest task ms  first live digit s (<1.0)  over target',
      '----------------------------  ---------  ------------  -----------  -------------  ---------------  -------------------------  -----------',
      '/                             cold               0.81        0.004             38               88',
      '/chapters/some-chapter/#walk  warm               1.53        0.004            240               88  0.64 (data-z)              LCP, TBT',
    ].join('\n'),
  );
});

test('the manifold’s section is the last heading before it', () => {
  assert.equal(manifoldSection('<h2 id="a">A</h2><p>x</p><h3 class="c" id="b">B</h3><latent-manifold></latent-manifold><h2 id="c">'), 'b');
  assert.equal(manifoldSection('<h2 id="a">A</h2>'), undefined);
});
