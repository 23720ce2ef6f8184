/**
 * Makes the page cross-origin isolated on a host that sends no COOP/COEP headers, by registering
 * the service worker `coi-sw.js` (next to this file, so its scope is the site's base path) and
 * reloading once. Isolation lets the wasm backend run the page's figures on several threads;
 * nothing else depends on it, so every failure here leaves the page working as before, on one
 * thread.
 *
 * It does nothing where the page is already isolated (the host sends the headers), where it would
 * buy nothing (one logical core), or where service workers are unavailable: not a secure context,
 * blocked, or refused. It reloads at most once per tab session, so it can never loop: if the
 * reload did not isolate the page (or a hard reload skipped the worker), the page stays as it is. `?coi=0` in the URL unregisters the worker and keeps it off in this
 * browser; `?coi=1` allows it again.
 *
 * A plain script, not a module, and a file of its own: the Content-Security-Policy allows scripts
 * from this site and no inline script but the theme's.
 */
(() => {
  const OFF = 'latent-lab-coi-off';
  const RELOADED = 'latent-lab-coi-reloaded';
  const script = document.currentScript;
  if (!(script instanceof HTMLScriptElement) || !('serviceWorker' in navigator)) return;
  const worker = new URL('coi-sw.js', script.src).href;
  const scope = new URL('./', script.src).href;
  const container = navigator.serviceWorker;

  /** Runs `f` on storage that may be disabled; undefined if it is. */
  const storage = (f) => {
    try {
      return f();
    } catch {
      return undefined;
    }
  };
  /**
   * Reloads once per tab session: not at all if that was done or cannot be recorded. The mark is
   * cleared by `?coi=0` or `?coi=1` only: the isolated page cannot clear it, as the browser gives
   * it a sessionStorage of its own (COOP puts it in a new browsing context group).
   */
  const reloadOnce = () => {
    if (storage(() => sessionStorage.getItem(RELOADED)) !== null) return;
    if (storage(() => (sessionStorage.setItem(RELOADED, '1'), true)) !== true) return;
    location.reload();
  };

  const asked = new URLSearchParams(location.search).get('coi');
  if (asked === '0') storage(() => localStorage.setItem(OFF, '1'));
  if (asked === '1') storage(() => localStorage.removeItem(OFF));
  if (asked === '0' || asked === '1') storage(() => sessionStorage.removeItem(RELOADED));
  if (storage(() => localStorage.getItem(OFF)) === '1') {
    container
      .getRegistrations()
      .then(async (registrations) => {
        const ours = registrations.filter((r) => (r.active ?? r.waiting ?? r.installing)?.scriptURL === worker);
        const gone = (await Promise.all(ours.map((r) => r.unregister()))).every(Boolean);
        // A page the worker still controls stays isolated until it is loaded again; once the
        // worker is gone, the reload cannot come back here.
        if (gone && container.controller?.scriptURL === worker) location.reload();
      })
      .catch(() => {});
    return;
  }

  if (self.crossOriginIsolated || !self.isSecureContext || (navigator.hardwareConcurrency || 1) < 2) return;

  container
    .register(worker, { scope })
    .then((registration) => {
      // Controlled but not isolated: the page was loaded past the worker (a hard reload).
      if (container.controller) return void reloadOnce();
      const active = () => registration.active?.state === 'activated';
      if (active()) return void reloadOnce();
      container.addEventListener('controllerchange', () => reloadOnce(), { once: true });
    })
    .catch(() => {});
})();
