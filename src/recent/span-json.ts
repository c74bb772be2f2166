// The JSON shapes of kept spans and traces, built only when a route asks (never on the hot path).
import type { TraceRec } from './spans.js';

/** A finished span as kept for /status and the status page. */
export interface RecentSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeMs: number;
  durationMs: number;
  status: { code: number; message?: string };
  attributes: Record<string, unknown>;
  events: { name: string; timeMs: number; attributes?: Record<string, unknown> }[];
  /** Instrumentation scope that made the span (e.g. `@opentelemetry/instrumentation-http`). */
  scope?: string;
}

/** The parts of the SDK's ReadableSpan the store reads (kept by reference, converted lazily). */
export interface ReadableSpanLike {
  name: string;
  kind: number;
  spanContext(): { traceId: string; spanId: string };
  parentSpanContext?: { spanId: string; isRemote?: boolean };
  startTime: [number, number];
  duration: [number, number];
  status: { code: number; message?: string };
  attributes: Record<string, unknown>;
  events: { name: string; time: [number, number]; attributes?: Record<string, unknown> }[];
  instrumentationScope?: { name: string };
}

/** One kept trace as the trace list shows it. */
export interface TraceSummary {
  traceId: string;
  rootName: string;
  /** False when the local root span has not ended (yet) or was not kept. */
  complete: boolean;
  startTimeMs: number;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  status: 'ok' | 'error';
  /** Kept as a latency-bucket or error sample (survives longer than the recent ones). */
  sampled: boolean;
  /** Kept as an example from one span's end: the spans that ended before it are missing. */
  partial: boolean;
}

export const hrMs = (t: [number, number]) => t[0] * 1e3 + t[1] / 1e6;
const ERROR = 2;

export function toRecentSpan(s: ReadableSpanLike): RecentSpan {
  const sc = s.spanContext();
  return {
    traceId: sc.traceId,
    spanId: sc.spanId,
    parentSpanId: s.parentSpanContext?.spanId,
    name: s.name,
    kind: s.kind,
    startTimeMs: hrMs(s.startTime),
    durationMs: hrMs(s.duration),
    status: { code: s.status.code, message: s.status.message },
    attributes: { ...s.attributes },
    events: s.events.map((e) => ({ name: e.name, timeMs: hrMs(e.time), attributes: e.attributes ? { ...e.attributes } : undefined })),
    scope: s.instrumentationScope?.name,
  };
}

export function summarize(traceId: string, rec: TraceRec): TraceSummary {
  const ids = new Set<string>();
  for (const s of rec.spans) ids.add(s.spanContext().spanId);
  let start = Infinity;
  let end = -Infinity;
  let errors = 0;
  let root: ReadableSpanLike | undefined;
  let earliest: ReadableSpanLike | undefined;
  for (const s of rec.spans) {
    const st = hrMs(s.startTime);
    start = Math.min(start, st);
    end = Math.max(end, st + hrMs(s.duration));
    if (s.status.code === ERROR) errors++;
    const p = s.parentSpanContext;
    const isRoot = p === undefined || p.isRemote === true || !ids.has(p.spanId);
    if (isRoot && (root === undefined || st < hrMs(root.startTime))) root = s;
    if (earliest === undefined || st < hrMs(earliest.startTime)) earliest = s;
  }
  const complete = root !== undefined && (root.parentSpanContext === undefined || root.parentSpanContext.isRemote === true);
  return {
    traceId,
    rootName: (root ?? earliest)?.name ?? '',
    complete,
    startTimeMs: start,
    durationMs: Math.max(0, end - start),
    spanCount: rec.spans.length,
    errorCount: errors,
    status: errors > 0 ? 'error' : 'ok',
    sampled: rec.pins > 0,
    partial: rec.partial,
  };
}
