/**
 * Registers the site's service worker, `coi-sw.js` (next to this file, so its scope is the site's
 * base path), which keeps the guide readable offline after one visit and, on a host that sends no
 * COOP/COEP headers, makes the page cross-origin isolated. Isolation lets the wasm backend run
 * the page's figures on several threads; nothing else depends on it, so every failure here leaves
 * the page working as before, on one thread and online.
 *
 * Where the page is not isolated but could be (a secure context with more than one logical core),
 * it reloads once when the worker first takes over, at most once per tab session, so it can never
 * loop: if the reload did not isolate the page (or a hard reload skipped the worker), the page
 * stays as it is. Once the page has drawn its first live figure (or settled), it asks the worker
 * to keep the rest of the build for offline reading, and when a new build of the site is ready
 * beside the one this page runs, it says so in a small notice: the new build opens on the next
 * visit, or at once from the notice.
 * `?coi=0` in the URL unregisters the worker and keeps it off in this browser (no isolation shim,
 * no offline copy); `?coi=1` allows it again.
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

  if (!self.isSecureContext) return;
  const isolate = !self.crossOriginIsolated && (navigator.hardwareConcurrency || 1) >= 2;

  /** The worker tells the page how much of the build it keeps: `data-offline` on <html>, "kept/files". */
  container.addEventListener('message', (event) => {
    if (event.data?.type === 'shell') document.documentElement.dataset.offline = `${event.data.kept}/${event.data.files}`;
  });

  /**
   * The active worker fetches the rest of the build in the background, once the page's own first
   * figure has drawn live (the mark figures set on their first live decode) or, on a page whose
   * figures wait below the fold or that has none, SETTLE_MS after load; then at an idle moment.
   * Asked at load, the fill's downloads competed with the first figure's scripts and weights.
   */
  const FIRST_LIVE_DECODE = 'latent-lab:first-live-decode';
  const SETTLE_MS = 3000;
  const loaded = () =>
    new Promise((resolve) => {
      if (document.readyState === 'complete') resolve();
      else addEventListener('load', () => resolve(), { once: true });
    });
  const settled = () =>
    new Promise((resolve) => {
      let observer;
      const go = () => {
        observer?.disconnect();
        resolve();
      };
      setTimeout(go, SETTLE_MS);
      try {
        observer = new PerformanceObserver((list) => {
          if (list.getEntriesByName(FIRST_LIVE_DECODE).length > 0) go();
        });
        observer.observe({ type: 'mark', buffered: true });
      } catch {
        // No PerformanceObserver for marks: the timeout alone.
      }
    });
  const idle = () => new Promise((resolve) => (self.requestIdleCallback ? requestIdleCallback(() => resolve(), { timeout: 2000 }) : setTimeout(resolve, 0)));
  const keepOffline = () =>
    container.ready.then((registration) =>
      loaded()
        .then(settled)
        .then(idle)
        .then(() => registration.active?.postMessage({ type: 'fill-shell' })),
    );

  /** A new build waits beside this page's: the notice offers it now, or it opens next time. */
  let updating = false;
  const offerUpdate = (registration) => {
    const waiting = registration.waiting;
    if (!waiting || !container.controller || document.querySelector('.update-notice')) return;
    const notice = document.createElement('div');
    notice.className = 'update-notice';
    notice.setAttribute('role', 'status');
    const text = document.createElement('span');
    text.textContent = 'A new version of this guide is ready. It opens on your next visit.';
    const now = document.createElement('button');
    now.type = 'button';
    now.textContent = 'Open it now';
    now.addEventListener('click', () => {
      updating = true;
      waiting.postMessage({ type: 'skip-waiting' });
    });
    notice.append(text, ' ', now);
    const show = () => document.body.append(notice);
    if (document.body) show();
    else addEventListener('DOMContentLoaded', show, { once: true });
  };
  const watchUpdates = (registration) => {
    offerUpdate(registration);
    registration.addEventListener('updatefound', () => {
      const installing = registration.installing;
      installing?.addEventListener('statechange', () => {
        if (installing.state === 'installed') offerUpdate(registration);
      });
    });
  };

  container
    .register(worker, { scope })
    .then((registration) => {
      keepOffline();
      watchUpdates(registration);
      container.addEventListener('controllerchange', () => {
        if (updating) location.reload();
      });
      if (!isolate) return;
      // Controlled but not isolated: the page was loaded past the worker (a hard reload).
      if (container.controller) return void reloadOnce();
      const active = () => registration.active?.state === 'activated';
      if (active()) return void reloadOnce();
      container.addEventListener('controllerchange', () => reloadOnce(), { once: true });
    })
    .catch(() => {});
})();
