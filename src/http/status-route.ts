import os from 'node:os';
import { isShuttingDown } from '../shutdown.js';
import { serviceIdentity } from '../sdk/service.js';
import { instrumentationStatus } from '../sdk/instrumentation-status.js';
import { clusterWorkers } from '../cluster/access.js';
import { recentSpans } from '../recent/spans.js';
import { maskUrlCredentials } from '../util/redact.js';
import { getConfig } from '../config/index.js';
import { effectiveConfig } from '../config/effective.js';
import type { CheckRegistry } from '../health/registry.js';
import { checksJson } from './health-routes.js';
import { HttpError, notAuthorized, safeStringify, type RouteContext, type RouteReply } from './router.js';

const DEFAULT_SPANS = 50;
const MAX_SPANS = 500;

function spanLimit(ctx: RouteContext): number {
  const raw = ctx.query.spans;
  if (raw === undefined) return DEFAULT_SPANS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > MAX_SPANS) throw new HttpError(400, `spans must be an integer 0..${MAX_SPANS}`);
  return n;
}

/**
 * `/status`: what a user sees when no collector runs. Fast by design: it runs no check, it
 * shows the latest results. Details need authorization (loopback, or the bearer token when
 * one is set; with a token set, a request without it is a 401).
 */
export function statusRoute(health: () => CheckRegistry, readiness: () => CheckRegistry) {
  return (ctx: RouteContext): RouteReply => {
    const h = health();
    const r = readiness();
    const hLast = h.getLastResults();
    const rLast = r.getLastResults();
    const shuttingDown = isShuttingDown();
    const healthStatus = Object.keys(hLast).length > 0 ? h.getOverallStatus(hLast) : 'unknown';
    const readyStatus = shuttingDown ? 'shutting_down' : r.getOverallStatus(rLast) === 'unhealthy' ? 'not_ready' : 'ready';
    if (!ctx.authorized) {
      if (ctx.tokenRequired) throw notAuthorized(ctx);
      return { status: 200, body: { status: healthStatus, readiness: readyStatus, timestamp: new Date().toISOString() } };
    }
    const limit = spanLimit(ctx);
    const spans = limit === 0 ? [] : recentSpans().toArray().slice(-limit).reverse();
    const mem = process.memoryUsage();
    const body = {
      status: healthStatus,
      timestamp: new Date().toISOString(),
      service: serviceIdentity(),
      process: {
        pid: process.pid,
        ppid: process.ppid,
        uptimeSeconds: Math.round(process.uptime() * 1000) / 1000,
        startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(),
        memory: { rss: mem.rss, heapTotal: mem.heapTotal, heapUsed: mem.heapUsed, external: mem.external, arrayBuffers: mem.arrayBuffers },
        cpuUsageMicros: process.cpuUsage(),
        versions: process.versions,
      },
      runtime: {
        name: 'nodejs',
        version: process.version,
        platform: process.platform,
        arch: process.arch,
        cpus: os.availableParallelism(),
        loadAverage: os.loadavg(),
        totalMemory: os.totalmem(),
        freeMemory: os.freemem(),
      },
      health: { status: healthStatus, checks: checksJson(hLast, true) },
      readiness: { status: readyStatus, checks: checksJson(rLast, true) },
      // Under a cluster: every process (this serving one first), from the latest collections.
      workers: clusterWorkers(),
      // Each instrumentation register knows: enabled, active (its library loaded) with versions.
      instrumentations: instrumentationStatus(),
      // The configuration in force and where each part came from, credentials hidden (src/config/effective.ts).
      configuration: effectiveConfig(getConfig()),
      spans,
    };
    // Span attributes are user data: a URL with credentials must not leave through here.
    return { status: 200, contentType: 'application/json; charset=utf-8', body: maskUrlCredentials(safeStringify(body)) };
  };
}
