import type { HealthEndpoints } from './server.js';
import type { RouteHandler } from './router.js';
import { metricsRoute } from './metrics-route.js';
import { healthRoute, readyRoute } from './health-routes.js';
import { statusRoute } from './status-route.js';
import { uiRoutes } from '../ui/routes.js';

/** The built-in routes, as [path, method, handler]. */
export function builtinRoutes(endpoints: HealthEndpoints): [string, string, RouteHandler][] {
  const started = Date.now();
  return [
    ['/metrics', 'GET', metricsRoute],
    ['/health', 'GET', healthRoute(() => endpoints.getHealthChecker())],
    ['/health/ready', 'GET', readyRoute(() => endpoints.getReadinessChecker())],
    ['/status', 'GET', statusRoute(() => endpoints.getHealthChecker(), () => endpoints.getReadinessChecker())],
    // Liveness answers from the event loop alone: reaching this handler is the check.
    ['/health/live', 'GET', () => ({ status: 200, body: { status: 'alive', uptimeSeconds: (Date.now() - started) / 1000, timestamp: new Date().toISOString() } })],
    // `/`: the status page for a browser, a JSON index of the routes otherwise (src/ui/).
    ...uiRoutes(endpoints),
  ];
}
