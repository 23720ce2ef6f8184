/**
 * Plain computation, counted: the measurement of how much work the device does in parallel
 * (panel/parallel-gain.ts) runs this in one worker alone and in several at once. Each message
 * names a window on the clock that the page and its workers share; the answer is how many loop
 * iterations per millisecond this worker did in the whole window (`rate`) and in its best 10 ms
 * of it (`peak`, what one core does while nothing else runs on it). A window, not a fixed count:
 * it takes the same time on a fast desktop as on a slow phone.
 */
/// <reference lib="webworker" />
const scope = self as unknown as DedicatedWorkerGlobalScope;
/** The same clock as batch-balance.ts's: comparable across the workers of a page. */
const clock = () => performance.timeOrigin + performance.now();
const CHUNK = 4096;
const SLICE_MS = 10;

scope.onmessage = (e: MessageEvent<{ from: number; to: number }>) => {
  const { from, to } = e.data;
  // Every worker starts at the same moment, so that they run at once for the whole window.
  while (clock() < from);
  const start = clock();
  let now = start;
  let count = 0;
  let slice = { start, count: 0 };
  let peak = 0;
  // A linear congruential step: integer work that the compiler cannot skip, as its result is sent back.
  let x = 1;
  while (now < to) {
    for (let i = 0; i < CHUNK; i++) x = (Math.imul(x, 1664525) + 1013904223) | 0;
    count += CHUNK;
    now = clock();
    if (now - slice.start >= SLICE_MS) {
      peak = Math.max(peak, (count - slice.count) / (now - slice.start));
      slice = { start: now, count };
    }
  }
  const rate = count / Math.max(now - start, 1e-3);
  scope.postMessage({ rate, peak: Math.max(peak, rate), x });
};
