/**
 * Where a pop-up card goes so that it stays inside the viewport (the reference cards of <Cite>):
 * DOM-free, so Node tests it.
 */

/** A box in viewport pixels, as getBoundingClientRect gives it. */
export interface Box {
  left: number;
  right: number;
  bottom: number;
  height: number;
}

/**
 * How far to move a card sideways so that it keeps `margin` pixels from both edges of a
 * viewport `width` wide: right when it sticks out on the left, left when it sticks out on the
 * right, and, for a card wider than the room, so that its left edge shows.
 */
export function cardShift(card: Box, width: number, margin: number): number {
  return Math.max(margin - card.left, Math.min(0, width - margin - card.right));
}

/** Whether a card that runs past the viewport's bottom should open above its line, which needs room there. */
export function cardAbove(card: Box, lineTop: number, viewportHeight: number, margin: number): boolean {
  return card.bottom > viewportHeight - margin && lineTop - card.height - margin > 0;
}
