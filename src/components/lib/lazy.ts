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
