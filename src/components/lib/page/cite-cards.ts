/**
 * What CSS cannot do for the cards of <Cite> (Cite.astro). One set of listeners on the
 * document, nothing per citation, and nothing runs until a reader touches, points at or tabs
 * to a citation.
 * - A first tap on a touch screen opens the card instead of jumping to the reference list; a
 *   second tap on the label, or the card's own link, follows; a tap elsewhere closes it.
 * - Escape closes the card under the pointer or the focus.
 * - An open card is moved to stay inside the viewport: sideways, and above its line when
 *   there is no room below (card-place.ts).
 */
import { cardAbove, cardShift } from './card-place.ts';

const MARGIN = 8;
let touch = false;
let openAtDown = false;

const itemOf = (t: EventTarget | null) => (t instanceof Element ? t.closest<HTMLElement>('.cite-item') : null);

function place(item: HTMLElement): void {
  const card = item.querySelector<HTMLElement>('.cite-card');
  if (!card || getComputedStyle(card).display === 'none') return;
  card.style.removeProperty('--cite-dx');
  item.classList.remove('cite-above');
  const box = card.getBoundingClientRect();
  const dx = cardShift(box, document.documentElement.clientWidth, MARGIN);
  if (dx) card.style.setProperty('--cite-dx', `${dx}px`);
  if (cardAbove(box, item.getBoundingClientRect().top, innerHeight, MARGIN)) item.classList.add('cite-above');
}

function closeOpen(except: Element | null): void {
  for (const item of document.querySelectorAll('.cite-item.cite-open')) if (item !== except) item.classList.remove('cite-open');
}

document.addEventListener(
  'pointerdown',
  (e) => {
    touch = e.pointerType === 'touch';
    const item = itemOf(e.target);
    openAtDown = item?.classList.contains('cite-open') ?? false;
    closeOpen(item);
  },
  true,
);

document.addEventListener('click', (e) => {
  const link = e.target instanceof Element ? e.target.closest('.cite-link') : null;
  const item = itemOf(link);
  if (!item) return;
  // A click from the keyboard (detail 0) or a mouse follows the link; so does a second tap,
  // which leaves the card behind closed.
  if (openAtDown) item.classList.remove('cite-open');
  if (!touch || e.detail === 0 || openAtDown) return;
  e.preventDefault();
  item.classList.remove('cite-closed');
  item.classList.add('cite-open');
  place(item);
});

document.addEventListener('keydown', (e) => {
  touch = false;
  if (e.key !== 'Escape') return;
  for (const item of document.querySelectorAll<HTMLElement>('.cite-item.cite-open, .cite-item:hover, .cite-item:focus-within')) {
    item.classList.remove('cite-open');
    item.classList.add('cite-closed');
  }
});

document.addEventListener('pointerover', (e) => {
  const item = itemOf(e.target);
  if (item) place(item);
});
document.addEventListener('focusin', (e) => {
  const item = itemOf(e.target);
  if (!item) return;
  // Focus coming back to the label opens a card that Escape closed.
  if ((e.target as Element).matches('.cite-link')) item.classList.remove('cite-closed');
  place(item);
});

// A card closed with Escape opens again once the pointer or the focus has left and come back.
const reset = (e: Event, next: EventTarget | null) => {
  const item = itemOf(e.target);
  if (item && !item.contains(next as Node | null)) item.classList.remove('cite-closed');
};
document.addEventListener('pointerout', (e) => reset(e, e.relatedTarget));
document.addEventListener('focusout', (e) => reset(e, e.relatedTarget));
