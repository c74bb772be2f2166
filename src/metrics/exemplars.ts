import { context, trace, TraceFlags } from '@opentelemetry/api';
import type { Series } from './store.js';

// OTel JS exports no exemplars; Grafana needs them to jump from a latency bucket to a trace.
// Each histogram bucket keeps the most recent observation made inside a sampled span,
// overwriting one object in place so a record allocates nothing after the first.
let enabled = process.env.MONITORING_EXEMPLARS !== 'false';

export function setExemplarsEnabled(on: boolean): void {
  enabled = on;
}

export function recordExemplar(s: Series, bucket: number, value: number): void {
  if (!enabled) return;
  const span = trace.getSpan(context.active());
  if (span === undefined) return;
  const sc = span.spanContext();
  if ((sc.traceFlags & TraceFlags.SAMPLED) === 0) return;
  const all = s.exemplars ?? (s.exemplars = new Array(s.buckets!.length));
  const e = all[bucket];
  if (e === undefined) {
    all[bucket] = { value, timeMs: Date.now(), traceId: sc.traceId, spanId: sc.spanId };
  } else {
    e.value = value;
    e.timeMs = Date.now();
    e.traceId = sc.traceId;
    e.spanId = sc.spanId;
  }
}
