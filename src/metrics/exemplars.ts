import { context, trace, TraceFlags } from '@opentelemetry/api';
import type { Series } from './store.js';

// OTel JS exports no exemplars; Grafana needs them to jump from a latency bucket to a trace.
// Each histogram bucket keeps a recent observation made inside a sampled span. Looking up the
// active span costs ~150 ns (AsyncLocalStorage + context map), several times a record, so each
// bucket looks at most once per REFRESH_MS, timed by a coarse clock a timer keeps: a record
// then pays one array read. Exemplar timestamps have that clock's resolution.
let enabled = process.env.MONITORING_EXEMPLARS !== 'false';
const REFRESH_MS = 1000;
const TICK_MS = 250;
let now = 0;
let clock: NodeJS.Timeout | undefined;

function startClock(): void {
  now = Date.now();
  clock = setInterval(() => {
    now = Date.now();
  }, TICK_MS);
  clock.unref();
}

export function setExemplarsEnabled(on: boolean): void {
  enabled = on;
}

export function recordExemplar(s: Series, bucket: number, value: number): void {
  if (!enabled) return;
  if (clock === undefined) startClock();
  const next = s.exemplarNext ?? (s.exemplarNext = new Float64Array(s.buckets!.length));
  if (next[bucket]! > now) return;
  next[bucket] = now + REFRESH_MS;
  const span = trace.getSpan(context.active());
  if (span === undefined) return;
  const sc = span.spanContext();
  if ((sc.traceFlags & TraceFlags.SAMPLED) === 0) return;
  const all = s.exemplars ?? (s.exemplars = new Array(s.buckets!.length));
  const e = all[bucket];
  if (e === undefined) {
    all[bucket] = { value, timeMs: now, traceId: sc.traceId, spanId: sc.spanId };
  } else {
    e.value = value;
    e.timeMs = now;
    e.traceId = sc.traceId;
    e.spanId = sc.spanId;
  }
}
