import { getConfig } from '../config/index.js';
import { effectiveConfig } from '../config/effective.js';
import { isShuttingDown } from '../shutdown.js';
import { serviceIdentity } from '../sdk/service.js';
import { instrumentationStatus } from '../sdk/instrumentation-status.js';
import { collectMetrics } from '../metrics/source.js';
import { recentSpans } from '../recent/spans.js';
import { logsForTrace } from '../recent/logs.js';
import { metricRows, seriesCount } from '../recent/history.js';
import { LATENCY_BUCKETS } from '../recent/latency.js';
import { maskUrlCredentials } from '../util/redact.js';
import type { CheckRegistry } from '../health/registry.js';
import type { HealthCheckResult } from '../health/status.js';
import { checkJson } from '../http/health-routes.js';
import { HttpError, safeStringify, type RouteContext, type RouteReply } from '../http/router.js';
import { metricHistory } from './sampler.js';
import { historySeries, sampleMs } from './config.js';
import { profilingEnabled } from '../profiling/config.js';

/** What an unauthorized client is told (the page shows it). */
export const HOW_TO_AUTHORIZE =
  'Details (check messages, metrics, traces, logs) are shown to loopback clients, or — when MONITORING_AUTH_TOKEN is set — ' +
  'to requests carrying "Authorization: Bearer <MONITORING_AUTH_TOKEN>" (e.g. a header-setting browser extension, ' +
  'or an SSH tunnel to loopback when no token is set).';

/** The page's data routes answer 200 with `authorized: false` rather than 401, so the page can explain. */
const DENIED: RouteReply = { status: 200, body: { authorized: false, howToAuthorize: HOW_TO_AUTHORIZE } };

/** User data (span attributes, log fields, DSNs) must not leave with a password in a URL. */
const masked = (body: unknown): RouteReply => ({
  status: 200,
  contentType: 'application/json; charset=utf-8',
  body: maskUrlCredentials(safeStringify(body)),
});

function checks(results: Record<string, HealthCheckResult>, authorized: boolean, now: number) {
  const out: Record<string, unknown> = {};
  for (const [name, r] of Object.entries(results)) {
    const j = checkJson(r, authorized);
    if (authorized) j.age_seconds = Math.max(0, (now - r.timestamp) / 1000);
    out[name] = j;
  }
  return out;
}

/** The page shows every field, null when unknown. */
function service(): Record<string, unknown> {
  const s = serviceIdentity();
  return {
    name: s.name,
    version: s.version ?? null,
    namespace: s.namespace ?? null,
    instanceId: s.instanceId ?? null,
    environment: s.environment ?? null,
  };
}

/** `/api/overview`: health and readiness (statuses for everyone), service and checks' details when authorized. */
export function overviewRoute(health: () => CheckRegistry, readiness: () => CheckRegistry) {
  return async (ctx: RouteContext): Promise<RouteReply> => {
    const h = health();
    const r = readiness();
    const [hRes, rRes] = await Promise.all([h.currentResults(), r.currentResults()]);
    const now = Date.now();
    const shutting = isShuttingDown();
    const readyStatus = shutting ? 'shutting_down' : r.getOverallStatus(rRes) === 'unhealthy' ? 'not_ready' : 'ready';
    const body: Record<string, unknown> = {
      authorized: ctx.authorized,
      tokenRequired: ctx.tokenRequired,
      timestamp: new Date(now).toISOString(),
      health: { status: Object.keys(hRes).length ? h.getOverallStatus(hRes) : 'unknown', checks: checks(hRes, ctx.authorized, now) },
      readiness: { status: readyStatus, checks: checks(rRes, ctx.authorized, now) },
      ui: { sampleMs: sampleMs(), refreshMs: Math.min(Math.max(sampleMs(), 1000), 10_000), profiling: profilingEnabled() },
    };
    if (!ctx.authorized) body.howToAuthorize = HOW_TO_AUTHORIZE;
    else {
      body.service = service();
      body.uptimeSeconds = Math.round(process.uptime() * 10) / 10;
      body.startedAt = new Date(now - process.uptime() * 1000).toISOString();
      body.instrumentations = instrumentationStatus();
      body.configuration = effectiveConfig(getConfig());
    }
    return masked(body);
  };
}

/** Series listed by `/api/metrics` without `?limit=` (more when the history tracks more). */
export const API_SERIES_DEFAULT = 500;

/**
 * `/api/metrics`: the series with their current value, rate, percentiles and history: at most
 * `?limit=` of them (default API_SERIES_DEFAULT or MONITORING_UI_HISTORY_SERIES, whichever is
 * larger; at most 10,000), so that a page open on an app with 100,000 series neither holds its
 * event loop building rows nor draws them all; `totalSeries` says how many there are (`/metrics`
 * has every one). The history size only bounds the sparklines: a series without one still shows
 * its current value.
 */
export async function metricsApiRoute(ctx: RouteContext): Promise<RouteReply> {
  if (!ctx.authorized) return DENIED;
  const h = metricHistory();
  const limit = limitOf(ctx, Math.max(historySeries(), API_SERIES_DEFAULT), 10_000);
  const rm = await collectMetrics();
  const rows = metricRows(rm, h, limit);
  return masked({
    authorized: true,
    totalSeries: seriesCount(rm),
    sampleMs: sampleMs(),
    historyPoints: h?.points ?? 0,
    historySeriesLimit: h?.maxSeries ?? 0,
    droppedSeries: h?.droppedSeries ?? 0,
    times: h?.times() ?? [],
    series: rows,
  });
}

function limitOf(ctx: RouteContext, def: number, max: number): number {
  const raw = ctx.query.limit;
  if (raw === undefined) return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new HttpError(400, `limit must be an integer 1..${max}`);
  return n;
}

/** `/api/traces`: kept traces, newest first (`?limit=`, `?status=error`). */
export function tracesRoute(ctx: RouteContext): RouteReply {
  if (!ctx.authorized) return DENIED;
  const store = recentSpans();
  let list = store.traceSummaries();
  if (ctx.query.status === 'error') list = list.filter((t) => t.status === 'error');
  else if (ctx.query.status !== undefined && ctx.query.status !== 'all') throw new HttpError(400, 'status must be error or all');
  return masked({
    authorized: true,
    capacitySpans: store.capacity,
    keptSpans: store.length,
    traces: list.slice(0, limitOf(ctx, 100, 1000)),
  });
}

const TRACE_ID = /^[0-9a-f]{32}$/;

/** `/api/trace?id=<32 hex>`: one trace's spans and the log lines recorded under it. */
export function traceRoute(ctx: RouteContext): RouteReply {
  if (!ctx.authorized) return DENIED;
  const id = ctx.query.id ?? '';
  if (!TRACE_ID.test(id)) throw new HttpError(400, 'id must be a trace id (32 lowercase hex digits)');
  const t = recentSpans().trace(id);
  const logs = logsForTrace(id);
  if (!t && logs.length === 0) throw new HttpError(404, 'trace not kept (it may have been evicted from the ring)');
  return masked({
    authorized: true,
    traceId: id,
    spans: t?.spans ?? [],
    droppedSpans: t?.dropped ?? 0,
    sampled: t?.sampled ?? false,
    logs,
  });
}

/** `/api/latency`: per span name, counts per zPages latency bucket, errors and example traces. */
export function latencyRoute(ctx: RouteContext): RouteReply {
  if (!ctx.authorized) return DENIED;
  return masked({ authorized: true, buckets: LATENCY_BUCKETS, rows: recentSpans().latencyTable() });
}
