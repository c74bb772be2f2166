import { ExpositionWriter, OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE } from '../metrics/exposition.js';
import { SummaryWriter } from '../metrics/summary.js';
import { collectForScrape } from '../metrics/source.js';
import { openScrape, type StepWriter } from '../metrics/scrape.js';
import { exemplarsFor } from './exemplar-lookup.js';
import { HttpError, type RouteContext, type RouteReply } from './router.js';
import { getConfig } from '../config/index.js';

type Format = 'json' | 'prometheus' | 'openmetrics';

/** Which format the client asked for: `?format=` wins, then a Prometheus scraper's Accept header. */
export function metricsFormat(ctx: RouteContext): Format {
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

const CONTENT_TYPES: Record<Format, string> = {
  json: 'application/json; charset=utf-8',
  prometheus: PROMETHEUS_CONTENT_TYPE,
  openmetrics: OPENMETRICS_CONTENT_TYPE,
};

async function writerFor(format: Format): Promise<StepWriter> {
  const input = await collectForScrape();
  if (format === 'json') return new SummaryWriter(input);
  const open = format === 'openmetrics';
  const naming = getConfig().metrics.prometheus?.naming;
  return new ExpositionWriter(input, { openMetrics: open, exemplars: open ? exemplarsFor : undefined, naming });
}

const NO_BODY = { next: async () => null, cancel: () => undefined };

/** `/metrics`: written in slices and streamed (src/metrics/scrape.ts); concurrent scrapes of a format share one pass. */
export async function metricsRoute(ctx: RouteContext): Promise<RouteReply> {
  const format = metricsFormat(ctx);
  const contentType = CONTENT_TYPES[format];
  // HEAD: the headers a GET gets (chunked, no length), without collecting anything.
  if (ctx.method === 'HEAD') return { status: 200, contentType, stream: NO_BODY };
  const stream = await openScrape(format, () => writerFor(format));
  return { status: 200, contentType, stream };
}
