import { context, trace, TraceFlags } from '@opentelemetry/api';
import type { Exemplar, Series } from './series.js';
import { getConfig } from '../config/index.js';

// OTel JS exports no exemplars; Grafana needs them to jump from a latency bucket to a trace.
// Each histogram bucket keeps a recent observation made inside a sampled span. Looking up the
// active span costs ~150 ns (AsyncLocalStorage + context map), several times a record, so each
// bucket looks at most once per REFRESH_MS, timed by a coarse clock a timer keeps: a record
// then pays one array read. A bucket that is due reads the real time, for the exemplar's
// timestamp and the clock: synchronous work can hold the timer for longer than a tick, and an
// exemplar stamped with the stale time could predate the series it belongs to (its OTLP point
// would then leave it out).
const REFRESH_MS = 1000;
const TICK_MS = 250;
let clock: NodeJS.Timeout | undefined;

/** Read on every histogram record (see `record()` in aggregations/explicit-bucket-histogram.ts): keep it one object. */
export const exemplarClock = { enabled: getConfig().monitoring.exemplars, now: 0 };

function startClock(): void {
  exemplarClock.now = Date.now();
  clock = setInterval(() => {
    exemplarClock.now = Date.now();
  }, TICK_MS);
  clock.unref();
}

export function setExemplarsEnabled(on: boolean): void {
  exemplarClock.enabled = on;
}

/** Called when the bucket is due (`exemplarNext[bucket] <= exemplarClock.now`). */
export function recordExemplar(s: Series, bucket: number, value: number): void {
  if (clock === undefined) startClock();
  const now = (exemplarClock.now = Date.now());
  const next = s.exemplarNext ?? (s.exemplarNext = new Float64Array(s.buckets!.length));
  if (next[bucket]! > now) return;
  next[bucket] = now + REFRESH_MS;
  const span = trace.getSpan(context.active());
  if (span === undefined) return;
  const sc = span.spanContext();
  if ((sc.traceFlags & TraceFlags.SAMPLED) === 0) return;
  const all = s.exemplars ?? (s.exemplars = new Array<Exemplar | undefined>(s.buckets!.length));
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
