/**
 * The status page script, served as /ui/app.js (the CSP allows no inline script). Its source is
 * src/ui/browser/; scripts/postbuild.mjs bundles it and writes the bundle's text in place of this
 * placeholder in both compiled copies (dist/ui/page-js.js, dist/cjs/ui/page-js.js).
 */
export const APP_JS: string = '__STATUS_PAGE_SCRIPT__';
