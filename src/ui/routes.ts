import type { RouteContext, RouteHandler, RouteReply } from '../http/router.js';
import type { CheckRegistry } from '../health/registry.js';
import { APP_JS, PAGE_CSS, PAGE_HTML } from './page-assets.js';
import { latencyRoute, metricsApiRoute, overviewRoute, traceRoute, tracesRoute } from './api.js';
import { uiEnabled } from './config.js';
import { PACKAGE_NAME } from '../package-info.js';

/** Only the page's own resources: no inline script or style, no third-party anything. */
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'Content-Security-Policy': CSP,
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

const asset =
  (body: string, contentType: string): RouteHandler =>
  () => ({ status: 200, body, contentType, headers: SECURITY_HEADERS });

/** Does the client want a page (a browser navigating) rather than JSON? */
function wantsHtml(accept: string): boolean {
  const a = accept.toLowerCase();
  return a.includes('text/html') || a.includes('application/xhtml+xml');
}

interface UiHost {
  getHealthChecker(): CheckRegistry;
  getReadinessChecker(): CheckRegistry;
  listRoutes(): { path: string; methods: string[] }[];
}

/**
 * `/` (the page for a browser, a JSON index of the routes for anything else), the page's
 * assets and its JSON routes under `/api/`. With MONITORING_UI=false only the JSON index.
 * Building the table starts nothing: the server runs the history sampler while it serves.
 */
export function uiRoutes(host: UiHost): [string, string, RouteHandler][] {
  const index = (): RouteReply => ({
    status: 200,
    body: { service: PACKAGE_NAME, routes: host.listRoutes() },
    headers: { Vary: 'Accept' },
  });
  if (!uiEnabled()) return [['/', 'GET', index]];
  const page = asset(PAGE_HTML, 'text/html; charset=utf-8');
  return [
    [
      '/',
      'GET',
      (ctx: RouteContext) =>
        wantsHtml(ctx.accept) ? { ...(page(ctx) as RouteReply), headers: { ...SECURITY_HEADERS, Vary: 'Accept' } } : index(),
    ],
    ['/ui/app.js', 'GET', asset(APP_JS, 'text/javascript; charset=utf-8')],
    ['/ui/app.css', 'GET', asset(PAGE_CSS, 'text/css; charset=utf-8')],
    [
      '/api/overview',
      'GET',
      overviewRoute(
        () => host.getHealthChecker(),
        () => host.getReadinessChecker(),
      ),
    ],
    ['/api/metrics', 'GET', metricsApiRoute],
    ['/api/traces', 'GET', tracesRoute],
    ['/api/trace', 'GET', traceRoute],
    ['/api/latency', 'GET', latencyRoute],
  ];
}
