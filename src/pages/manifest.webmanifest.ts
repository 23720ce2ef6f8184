/**
 * The web app manifest, from the site's identity (site.config.mjs), so that a reader can install
 * the guide as an app; with the service worker (public/coi-sw.js) it then opens offline too.
 * Paths are relative to this file, which sits at the site's base path.
 */
import { SITE } from '../../site.config.mjs';

/** The favicon's ground, for the splash screen and the title bar. */
const GROUND = '#1f2937';

export function GET(): Response {
  const manifest = {
    name: `${SITE.title}: ${SITE.tagline.charAt(0).toLowerCase()}${SITE.tagline.slice(1)}`,
    short_name: SITE.title,
    description: SITE.description,
    start_url: './',
    scope: './',
    display: 'standalone',
    background_color: GROUND,
    theme_color: GROUND,
    icons: [
      // npm run render:icons draws them from the favicon's picture.
      { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any maskable' },
      { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any maskable' },
      { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml' },
    ],
  };
  return new Response(JSON.stringify(manifest, null, 2), { headers: { 'Content-Type': 'application/manifest+json' } });
}
