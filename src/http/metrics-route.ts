import { OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE, serializeMetrics } from '../metrics/exposition.js';
import { summarize } from '../metrics/summary.js';
import { collectMetrics } from '../metrics/source.js';
import { exemplarsFor } from './exemplar-lookup.js';
import { HttpError, type RouteContext, type RouteReply } from './router.js';

/** Which format the client asked for: `?format=` wins, then a Prometheus scraper's Accept header. */
export function metricsFormat(ctx: RouteContext): 'json' | 'prometheus' | 'openmetrics' {
  const f = ctx.query.format?.toLowerCase();
  if (f !== undefined) {
    if (f === 'prometheus' || f === 'text') return ctx.accept.includes('application/openmetrics-text') ? 'openmetrics' : 'prometheus';
    if (f === 'openmetrics') return 'openmetrics';
    if (f === 'json') return 'json';
    throw new HttpError(400, 'format must be one of json, prometheus, openmetrics');
  }
  if (ctx.accept.includes('application/openmetrics-text')) return 'openmetrics';
  if (ctx.accept.includes('text/plain') && !ctx.accept.includes('application/json')) return 'prometheus';
  return 'json';
}

export async function metricsRoute(ctx: RouteContext): Promise<RouteReply> {
  const format = metricsFormat(ctx);
  const rm = await collectMetrics();
  if (format === 'json') return { status: 200, body: summarize(rm) };
  const open = format === 'openmetrics';
  return {
    status: 200,
    contentType: open ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE,
    body: serializeMetrics(rm, { openMetrics: open, exemplars: open ? exemplarsFor : undefined }),
  };
}
