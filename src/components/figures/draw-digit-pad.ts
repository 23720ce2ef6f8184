/**
 * The drawing pad's state without the page: what is on it (strokes, and test digits that cover
 * what was drawn before them), how that is said in its label, where a pointer lands in its
 * pixels, and a test digit's grey levels as ink to paint.
 */

/** The pad's own pixels: ten per MNIST pixel, whatever size it is shown at. */
export const PAD = 280;
/** Pen width in pad pixels: a digit drawn over most of the pad comes out with MNIST's 2–3 px strokes. */
export const PEN = 20;

/** What is on the pad: strokes as flat point lists (x, y, x, y, …), or a test digit, which replaces what was drawn before it. */
export type Mark = { kind: 'stroke'; points: number[] } | { kind: 'digit'; grey: Uint8Array; index: number; label: number };

/** The marks that show: from the last test digit on (all of them if there is none). */
export function visibleMarks(marks: readonly Mark[]): Mark[] {
  const from = marks.findLastIndex((m) => m.kind === 'digit');
  return marks.slice(Math.max(0, from));
}

/** What the pad holds, for its label: "empty", "2 strokes drawn", "test digit #12, a 7, with 1 stroke over it". */
export function padDescription(marks: readonly Mark[], classes: readonly string[]): string {
  const shown = visibleMarks(marks);
  if (shown.length === 0) return 'empty';
  const digit = shown[0]!.kind === 'digit' ? shown[0] : undefined;
  const strokes = shown.length - (digit ? 1 : 0);
  const drawn = strokes > 0 ? `${strokes} stroke${strokes === 1 ? '' : 's'}` : '';
  if (!digit) return `${drawn} drawn`;
  return `test digit #${digit.index}, a ${classes[digit.label] ?? digit.label}${drawn ? `, with ${drawn} over it` : ''}`;
}

/** The pad pixel under a pointer at client (x, y), for the pad's box on screen. */
export function padPoint(x: number, y: number, box: { left: number; top: number; width: number; height: number }): [number, number] {
  return [((x - box.left) / box.width) * PAD, ((y - box.top) / box.height) * PAD];
}

/** A test digit's grey levels as RGBA ink: white, as opaque as the pixel is bright (the pad reads ink from opacity). */
export function inkPixels(grey: ArrayLike<number>): Uint8ClampedArray<ArrayBuffer> {
  const rgba = new Uint8ClampedArray(4 * grey.length);
  for (let p = 0; p < grey.length; p++) rgba.set([255, 255, 255, grey[p]!], 4 * p);
  return rgba;
}
