import { isShuttingDown } from '../shutdown.js';
import { clusterReadiness } from '../cluster/access.js';
import type { HealthCheckResult, HealthStatus } from '../health/status.js';
import type { CheckRegistry } from '../health/registry.js';
import type { RouteContext, RouteReply } from './router.js';

export const HEALTH_JSON = 'application/health+json';

/** One check in the PySocketCommLib-compatible JSON shape; unauthorized clients get the status alone. */
export function checkJson(r: HealthCheckResult, authorized: boolean): Record<string, unknown> {
  if (!authorized) return { status: r.status, duration_ms: round(r.durationMs) };
  const out: Record<string, unknown> = {
    status: r.status,
    message: r.message,
    duration_ms: round(r.durationMs),
    timestamp: new Date(r.timestamp).toISOString(),
  };
  if (r.details) out.details = r.details;
  return out;
}

export function checksJson(results: Record<string, HealthCheckResult>, authorized: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, r] of Object.entries(results)) out[name] = checkJson(r, authorized);
  return out;
}

const round = (ms: number) => Math.round(ms * 100) / 100;
const IETF: Record<HealthStatus, 'pass' | 'warn' | 'fail'> = { healthy: 'pass', degraded: 'warn', unhealthy: 'fail' };

/** IETF draft "Health Check Response Format for HTTP APIs" (draft-inadarei-api-health-check). */
function ietfReply(status: HealthStatus, results: Record<string, HealthCheckResult>, ctx: RouteContext, description?: string): RouteReply {
  const checks: Record<string, unknown[]> = {};
  for (const [name, r] of Object.entries(results)) {
    const item: Record<string, unknown> = {
      status: IETF[r.status],
      observedValue: round(r.durationMs),
      observedUnit: 'ms',
      time: new Date(r.timestamp).toISOString(),
    };
    if (ctx.authorized && r.status !== 'healthy') item.output = r.message;
    checks[name] = [item];
  }
  const body: Record<string, unknown> = { status: IETF[status] };
  if (description) body.description = description;
  body.checks = checks;
  return { status: status === 'unhealthy' ? 503 : 200, contentType: HEALTH_JSON, body };
}

const wantsHealthJson = (ctx: RouteContext) => ctx.accept.toLowerCase().includes(HEALTH_JSON);

/** `/health`: the overall status and every check; 200 healthy/degraded, 503 unhealthy. */
export function healthRoute(checker: () => CheckRegistry) {
  return async (ctx: RouteContext): Promise<RouteReply> => {
    const c = checker();
    const results = await c.currentResults();
    const status = c.getOverallStatus(results);
    if (wantsHealthJson(ctx)) return ietfReply(status, results, ctx);
    return {
      status: status === 'unhealthy' ? 503 : 200,
      body: { status, timestamp: new Date().toISOString(), checks: checksJson(results, ctx.authorized) },
    };
  };
}

/** `/health/ready`: dependencies; 503 when one fails, and at once (no checks run) while shutting down. */
export function readyRoute(checker: () => CheckRegistry) {
  return async (ctx: RouteContext): Promise<RouteReply> => {
    if (isShuttingDown()) {
      const message = 'shutting down: not accepting new traffic';
      if (wantsHealthJson(ctx)) return ietfReply('unhealthy', {}, ctx, message);
      return { status: 503, body: { status: 'not_ready', message, timestamp: new Date().toISOString(), checks: {} } };
    }
    const c = checker();
    // Under a cluster, the serving process is ready when enough workers are (see src/cluster).
    const [results, workers] = await Promise.all([c.currentResults(), clusterReadiness()]);
    const status = workers && !workers.ready ? 'unhealthy' : c.getOverallStatus(results);
    if (wantsHealthJson(ctx))
      return ietfReply(
        status,
        results,
        ctx,
        workers && !workers.ready ? `${workers.readyWorkers} of ${workers.expectedWorkers} workers ready` : undefined,
      );
    const ready = status !== 'unhealthy';
    const body: Record<string, unknown> = {
      status: ready ? 'ready' : 'not_ready',
      timestamp: new Date().toISOString(),
      checks: checksJson(results, ctx.authorized),
    };
    if (workers)
      body.workers = ctx.authorized
        ? workers
        : { ready: workers.ready, readyWorkers: workers.readyWorkers, expectedWorkers: workers.expectedWorkers };
    return { status: ready ? 200 : 503, body };
  };
}
