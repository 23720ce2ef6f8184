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

/**
 * Resolves in a new task of the event loop, so that the browser may draw and handle input
 * before a long job goes on (`scheduler.yield` where the browser has it; a message otherwise,
 * which, unlike a chain of zero-delay timers, is never clamped to 4 ms).
 */
export function nextTask(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
