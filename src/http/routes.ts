import type { HealthEndpoints } from './server.js';
import type { RouteHandler, RouteReply } from './router.js';
import type { CheckRegistry } from '../health/registry.js';
import { EVENT_LOOP_CHECK } from '../health/health-checker.js';
import { metricsRoute } from './metrics-route.js';
import { healthRoute, readyRoute } from './health-routes.js';
import { statusRoute } from './status-route.js';
import { uiRoutes } from '../ui/routes.js';
import { profilingRoutes } from '../profiling/routes.js';
import { getConfig } from '../config/index.js';

/** The built-in routes, as [path, method, handler]. */
export function builtinRoutes(endpoints: HealthEndpoints): [string, string, RouteHandler][] {
  const started = Date.now();
  const health: [string, string, RouteHandler][] = [
    ['/health', 'GET', healthRoute(() => endpoints.getHealthChecker())],
    ['/health/ready', 'GET', readyRoute(() => endpoints.getReadinessChecker())],
    ['/health/live', 'GET', liveRoute(started, () => endpoints.getHealthChecker())],
  ];
  // An unusable configuration file: monitoring is off but for the probes (src/config/index.ts).
  if (getConfig().invalid) return health;
  return [
    ['/metrics', 'GET', metricsRoute],
    ['/health', 'GET', healthRoute(() => endpoints.getHealthChecker())],
    ['/health/ready', 'GET', readyRoute(() => endpoints.getReadinessChecker())],
    [
      '/status',
      'GET',
      statusRoute(
        () => endpoints.getHealthChecker(),
        () => endpoints.getReadinessChecker(),
      ),
    ],
    // Liveness answers from the event loop alone: reaching this handler is the check.
    ['/health/live', 'GET', liveRoute(started, () => endpoints.getHealthChecker())],
    // `/`: the status page for a browser, a JSON index of the routes otherwise (src/ui/).
    ...uiRoutes(endpoints),
    // `/debug/pprof/*`: CPU and heap profiles on demand (src/profiling/).
    ...profilingRoutes(),
  ];
}

/**
 * Liveness stays 200 while the loop answers (only a stuck process fails it: restarting a pod
 * for a past stall would not help), and its body reflects a recent stall through the latest
 * `event_loop` check: status and time only, as open probe routes show no check details.
 * Probes arrive by the thousand and the answer changes only with the millisecond clock, so it
 * is serialised once per millisecond: JSON and the ISO date were a tenth of a probe's cost.
 */
function liveRoute(started: number, checks: () => CheckRegistry): RouteHandler {
  let at = -1;
  let reply: RouteReply = { status: 200 };
  return () => {
    const now = Date.now();
    if (now !== at) {
      at = now;
      const el = checks().getLastResult(EVENT_LOOP_CHECK);
      const eventLoop = el ? { status: el.status, timestamp: new Date(el.timestamp).toISOString() } : undefined;
      const body = JSON.stringify({
        status: 'alive',
        uptimeSeconds: (now - started) / 1000,
        timestamp: new Date(now).toISOString(),
        eventLoop,
      });
      reply = { status: 200, body, contentType: 'application/json; charset=utf-8' };
    }
    return reply;
  };
}
