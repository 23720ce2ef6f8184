/**
 * Calls `start` once, when `el` comes within `margin` of the viewport. Returns a function that
 * cancels the observer (call it from disconnectedCallback).
 */
export function whenNear(el: Element, start: () => void, margin = '600px'): () => void {
  if (!('IntersectionObserver' in window)) {
    start();
    return () => {};
  }
  const observer = new IntersectionObserver(
    (entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        observer.disconnect();
        start();
      }
    },
    { rootMargin: margin },
  );
  observer.observe(el);
  return () => observer.disconnect();
}

/**
 * Tells `change` whether `el` is on screen (within `margin` of the viewport), at once and each
 * time that changes, so a figure can skip drawing what nobody sees. Returns a function that
 * cancels the observer (call it from disconnectedCallback).
 */
export function onScreen(el: Element, change: (visible: boolean) => void, margin = '100px'): () => void {
  if (!('IntersectionObserver' in window)) return () => {};
  const observer = new IntersectionObserver((entries) => change(entries[entries.length - 1]!.isIntersecting), { rootMargin: margin });
  observer.observe(el);
  return () => observer.disconnect();
}
