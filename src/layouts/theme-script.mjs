/**
 * The one inline script of every page: it applies a saved theme choice before first paint, so
 * there is no flash. It lives here so that astro.config.mjs can put its hash into the
 * Content-Security-Policy, which allows no other inline script.
 */
export const THEME_SCRIPT =
  "try { const t = localStorage.getItem('latent-lab-theme'); if (t === 'light' || t === 'dark') document.documentElement.dataset.theme = t; } catch {}";
