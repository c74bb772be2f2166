// The status page's three files, from src/ui/browser/ (index.html, app.css, and app.ts with the
// modules it imports). scripts/postbuild.mjs writes each one's built text in place of its
// placeholder here, in both compiled copies (dist/ui/page-assets.js, dist/cjs/ui/page-assets.js).

/**
 * The HTML shell, served at `/`. Static: every value is filled in by app.js with textContent, so
 * no user data ever goes through an HTML parser. Asset URLs are relative, so the page also works
 * when `HealthEndpoints.handler` is mounted under a prefix in another server.
 */
export const PAGE_HTML: string = '__STATUS_PAGE_HTML__';

/** The stylesheet, served as /ui/app.css (the CSP allows no inline style). */
export const PAGE_CSS: string = '__STATUS_PAGE_CSS__';

/** The script, served as /ui/app.js (the CSP allows no inline script). */
export const APP_JS: string = '__STATUS_PAGE_SCRIPT__';
