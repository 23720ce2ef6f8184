/**
 * Sizes a square canvas to its CSS box at the screen's pixel ratio (only when that changed, so
 * a redraw does not reallocate), scales its context to CSS pixels and clears it. Returns the
 * context and the side in CSS pixels. Every figure that paints a plane uses it.
 */
export function fitCanvas(canvas: HTMLCanvasElement): [CanvasRenderingContext2D, number] {
  const size = canvas.clientWidth;
  const side = backingSide(size, window.devicePixelRatio || 1);
  if (canvas.width !== side) {
    canvas.width = side;
    canvas.height = side;
  }
  const ctx = canvas.getContext('2d')!;
  const dpr = window.devicePixelRatio || 1;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, size, size);
  return [ctx, size];
}

/** The backing store's side in device pixels for a CSS side at a pixel ratio. */
export function backingSide(cssSide: number, pixelRatio: number): number {
  return Math.max(1, Math.round(cssSide * pixelRatio));
}
