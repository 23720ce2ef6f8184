/**
 * The DOM-free parts of the figure kit: the failure sentence every figure shows, the canvas
 * backing size, the backend picker's accepted values, the test-codes URL and the card
 * placement of the citations.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backingSide } from '../../src/components/lib/draw/fit-canvas.ts';
import { cardAbove, cardShift } from '../../src/components/lib/page/card-place.ts';
import { testCodesUrl } from '../../src/components/lib/page/test-codes.ts';

test('a canvas backs its CSS side with device pixels, rounded, never zero', () => {
  assert.equal(backingSide(320, 1), 320);
  assert.equal(backingSide(320, 2), 640);
  assert.equal(backingSide(333, 1.5), 500); // 499.5 rounds up
  assert.equal(backingSide(0, 2), 1);
});

test('a card that sticks out is moved back inside the viewport by exactly the overhang', () => {
  const card = (left: number, width: number) => ({ left, right: left + width, bottom: 0, height: 0 });
  // Inside with room on both sides: stays.
  assert.equal(cardShift(card(100, 200), 1000, 8), 0);
  // Past the right edge by 50 (+ the 8 px margin): moves left by 58.
  assert.equal(cardShift(card(850, 200), 1000, 8), -58);
  // Past the left edge: moves right until the margin shows.
  assert.equal(cardShift(card(-20, 200), 1000, 8), 28);
  // Wider than the room: the left edge wins, so the start of the text shows.
  assert.equal(cardShift(card(0, 1200), 1000, 8), 8);
});

test('a card opens above its line only when it runs off the bottom and fits above', () => {
  const box = (bottom: number, height: number) => ({ left: 0, right: 0, bottom, height });
  assert.equal(cardAbove(box(500, 200), 300, 800, 8), false); // fits below
  assert.equal(cardAbove(box(900, 200), 600, 800, 8), true); // off the bottom, room above
  assert.equal(cardAbove(box(900, 200), 150, 800, 8), false); // off the bottom, no room above either
});

test('test codes are fetched from the model’s folder under the base path', () => {
  assert.equal(testCodesUrl('', 'mnist-conv-z2'), '/weights/mnist-conv-z2/test-latents.bin');
  assert.equal(testCodesUrl('/latent-lab/', 'mnist-ae-z2'), '/latent-lab/weights/mnist-ae-z2/test-latents.bin');
});
