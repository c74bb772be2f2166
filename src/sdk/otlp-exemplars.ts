import type { DataPoint, Histogram, MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { exemplarsFor } from '../http/exemplar-lookup.js';
import { SCOPE } from '../metrics/producer.js';
import { DataPointType } from '../metrics/sdk-enums.js';
import type { Exemplar } from '../metrics/series.js';
import { warnOnce } from '../util/report.js';
import type { MetricsSerializer } from '../compat/otlp-metric-exporter.js';

// The OTLP transformer (0.223) serializes the SDK's DataPoint, which has no exemplars, so the
// facade's per-bucket exemplars would never reach an OTLP receiver. The metric exporter is
// built with this serializer around the transformer's (src/compat/otlp-metric-exporter.ts):
// exemplars are added to the finished request, only at export, without forking the exporters;
// the record hot path does not change. The request comes back from the transformer
// already encoded, so exemplars are spliced into it: JSON is parsed and re-stringified;
// protobuf is walked down to the histogram data points, which get the Exemplar fields appended
// (a protobuf message may carry its fields in any order) and their enclosing lengths rewritten.
// Data points are matched by position (the transformer keeps the SDK's order) and the metric
// name is checked on the way, so a changed layout attaches nothing rather than mislabels.

export type OtlpEncoding = 'protobuf' | 'json';

/** Which facade data point (scope, metric, point index) gets which exemplars. */
export interface Plan {
  scope: number;
  metric: number;
  name: string;
  points: Map<number, Exemplar[]>;
}

// The exemplar clock ticks every 250 ms and runs behind the real time by up to that much.
const CLOCK_SLACK_MS = 250;

/** `inner` (the transformer's serializer for `encoding`), adding the facade histograms' exemplars to each request. */
export function withExemplars(inner: MetricsSerializer, encoding: OtlpEncoding): MetricsSerializer {
  return {
    serializeRequest: (request) => {
      const bytes = inner.serializeRequest(request);
      if (bytes === undefined || bytes === null) return bytes;
      try {
        const plans = planExemplars(request);
        if (plans.length === 0) return bytes;
        return encoding === 'json' ? addToJson(bytes, plans) : addToProtobuf(bytes, plans);
      } catch (e) {
        warnOnce(`exemplars could not be added to an OTLP metrics request (${(e as Error).message}); sent without them`);
        return bytes;
      }
    },
    deserializeResponse: (data) => inner.deserializeResponse(data),
  };
}

/** The exemplars each facade histogram point of this export carries. */
export function planExemplars(request: ResourceMetrics): Plan[] {
  const plans: Plan[] = [];
  request.scopeMetrics.forEach((sm, scope) => {
    if (sm.scope.name !== SCOPE.name) return;
    sm.metrics.forEach((metric, index) => {
      if (metric.dataPointType !== DataPointType.HISTOGRAM) return;
      const points = new Map<number, Exemplar[]>();
      metric.dataPoints.forEach((point, k) => {
        const found = pointExemplars(metric, point);
        if (found.length > 0) points.set(k, found);
      });
      if (points.size > 0) plans.push({ scope, metric: index, name: metric.descriptor.name, points });
    });
  });
  return plans;
}

// At most one exemplar per bucket: the bucket's current one (a recent sampled observation).
// A bucket that counts nothing in this point (delta temporality) and an exemplar older than
// the point's start (delta: the previous interval) are left out, so that every exemplar sent
// is one of the observations the point counts.
function pointExemplars(metric: MetricData, point: DataPoint<Histogram>): Exemplar[] {
  const all = exemplarsFor(metric, point);
  if (all === undefined) return [];
  const counts = point.value.buckets.counts;
  const startMs = point.startTime[0] * 1000 + point.startTime[1] / 1e6 - CLOCK_SLACK_MS;
  const out: Exemplar[] = [];
  for (let b = 0; b < all.length; b++) {
    const e = all[b];
    if (e === undefined || !(counts[b]! > 0) || e.timeMs < startMs) continue;
    if (!HEX_TRACE.test(e.traceId) || !HEX_SPAN.test(e.spanId)) continue;
    // A snapshot: the record path mutates the stored exemplar in place.
    out.push({ value: e.value, timeMs: e.timeMs, traceId: e.traceId, spanId: e.spanId });
  }
  return out;
}

const HEX_TRACE = /^[0-9a-f]{32}$/;
const HEX_SPAN = /^[0-9a-f]{16}$/;

function timeUnixNano(timeMs: number): bigint {
  return BigInt(Math.round(timeMs)) * 1_000_000n;
}

// ---- OTLP/JSON (ids as hex strings, 64-bit times as decimal strings, as the transformer does)

interface JsonPoint {
  exemplars?: unknown[];
}
interface JsonRequest {
  resourceMetrics?: { scopeMetrics?: { metrics?: { name?: string; histogram?: { dataPoints?: JsonPoint[] } }[] }[] }[];
}

function addToJson(bytes: Uint8Array, plans: Plan[]): Uint8Array {
  const req = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as JsonRequest;
  const scopes = req.resourceMetrics?.[0]?.scopeMetrics;
  let added = false;
  for (const plan of plans) {
    const metric = scopes?.[plan.scope]?.metrics?.[plan.metric];
    if (metric?.name !== plan.name) continue;
    for (const [k, exemplars] of plan.points) {
      const point = metric.histogram?.dataPoints?.[k];
      if (point === undefined) continue;
      point.exemplars = exemplars.map((e) => ({
        filteredAttributes: [],
        timeUnixNano: timeUnixNano(e.timeMs).toString(),
        asDouble: e.value,
        spanId: e.spanId,
        traceId: e.traceId,
      }));
      added = true;
    }
  }
  return added ? new TextEncoder().encode(JSON.stringify(req)) : bytes;
}

// ---- OTLP/protobuf (field numbers of the OTLP protocol's opentelemetry.proto.metrics.v1 messages)

const F_RESOURCE_METRICS = 1; // ExportMetricsServiceRequest.resource_metrics
const F_SCOPE_METRICS = 2; // ResourceMetrics.scope_metrics
const F_METRICS = 2; // ScopeMetrics.metrics
const F_NAME = 1; // Metric.name
const F_HISTOGRAM = 9; // Metric.histogram
const F_DATA_POINTS = 1; // Histogram.data_points
const F_EXEMPLARS = 8; // HistogramDataPoint.exemplars

type Rewrite = (field: number, nth: number, start: number, end: number) => Uint8Array[] | undefined;

/**
 * `bytes` (an encoded ExportMetricsServiceRequest) with the planned exemplars appended to their
 * histogram data points; `bytes` itself when no planned point was found.
 */
export function addToProtobuf(bytes: Uint8Array, plans: Plan[]): Uint8Array {
  const byScope = new Map<number, Plan[]>();
  for (const p of plans) byScope.set(p.scope, [...(byScope.get(p.scope) ?? []), p]);
  const buf = bytes;
  let added = false;
  const parts = copyMessage(buf, 0, buf.length, (field, nth, s, e) => {
    if (field !== F_RESOURCE_METRICS || nth !== 0) return undefined;
    return copyMessage(buf, s, e, (field, scope, s, e) => {
      const scopePlans = field === F_SCOPE_METRICS ? byScope.get(scope) : undefined;
      if (scopePlans === undefined) return undefined;
      return copyMessage(buf, s, e, (field, index, s, e) => {
        const plan = field === F_METRICS ? scopePlans.find((p) => p.metric === index) : undefined;
        if (plan === undefined || metricName(buf, s, e) !== plan.name) return undefined;
        return copyMessage(buf, s, e, (field, nth, s, e) => {
          if (field !== F_HISTOGRAM || nth !== 0) return undefined;
          return copyMessage(buf, s, e, (field, k, s, e) => {
            const exemplars = field === F_DATA_POINTS ? plan.points.get(k) : undefined;
            if (exemplars === undefined) return undefined;
            added = true;
            return [buf.subarray(s, e), ...exemplars.map(encodeExemplarField)];
          });
        });
      });
    });
  });
  return added ? Buffer.concat(parts) : bytes;
}

/** A length-delimited field of a message: its number, where its tag starts, its value's bounds. */
interface DelimitedField {
  field: number;
  fieldStart: number;
  valueStart: number;
  valueEnd: number;
}

/** The length-delimited fields of the message buf[start, end), in order; other fields are skipped. */
export function* delimitedFields(buf: Uint8Array, start: number, end: number): Generator<DelimitedField> {
  let pos = start;
  while (pos < end) {
    const fieldStart = pos;
    const [tag, afterTag] = readVarint(buf, pos);
    if (tag % 8 !== 2) {
      pos = skipValue(buf, afterTag, tag % 8);
      continue;
    }
    const [len, valueStart] = readVarint(buf, afterTag);
    const valueEnd = valueStart + len;
    if (valueEnd > end) throw new Error('truncated protobuf field');
    yield { field: Math.floor(tag / 8), fieldStart, valueStart, valueEnd };
    pos = valueEnd;
  }
  if (pos !== end) throw new Error('protobuf field runs past its message');
}

/**
 * The message buf[start, end) as parts, with each length-delimited field that `rewrite`
 * returns new content for replaced by it (its length prefix recomputed); `nth` counts the
 * occurrences of that field number so far.
 */
function copyMessage(buf: Uint8Array, start: number, end: number, rewrite: Rewrite): Uint8Array[] {
  const out: Uint8Array[] = [];
  const seen = new Map<number, number>();
  let copyFrom = start;
  for (const { field, fieldStart, valueStart, valueEnd } of delimitedFields(buf, start, end)) {
    const nth = seen.get(field) ?? 0;
    seen.set(field, nth + 1);
    const body = rewrite(field, nth, valueStart, valueEnd);
    if (body !== undefined) {
      out.push(buf.subarray(copyFrom, fieldStart), lengthDelimitedHeader(field, byteLength(body)), ...body);
      copyFrom = valueEnd;
    }
  }
  out.push(buf.subarray(copyFrom, end));
  return out;
}

function metricName(buf: Uint8Array, start: number, end: number): string | undefined {
  for (const { field, valueStart, valueEnd } of delimitedFields(buf, start, end)) {
    if (field === F_NAME) return Buffer.from(buf.buffer, buf.byteOffset + valueStart, valueEnd - valueStart).toString('utf8');
  }
  return undefined;
}

function readVarint(buf: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const b = buf[pos++]!;
    value += (b & 0x7f) * mul;
    if (b < 0x80) return [value, pos];
    mul *= 128;
  }
  throw new Error('varint too long');
}

function skipValue(buf: Uint8Array, pos: number, wire: number): number {
  switch (wire) {
    case 0:
      return readVarint(buf, pos)[1];
    case 1:
      return pos + 8;
    case 5:
      return pos + 4;
    default:
      throw new Error(`unexpected protobuf wire type ${wire}`);
  }
}

function byteLength(parts: Uint8Array[]): number {
  let n = 0;
  for (const p of parts) n += p.length;
  return n;
}

function varint(value: number): number[] {
  const out: number[] = [];
  while (value >= 0x80) {
    out.push((value % 0x80) | 0x80);
    value = Math.floor(value / 0x80);
  }
  out.push(value);
  return out;
}

function lengthDelimitedHeader(field: number, length: number): Uint8Array {
  return Uint8Array.from([...varint(field * 8 + 2), ...varint(length)]);
}

/** HistogramDataPoint.exemplars entry: tag, length and an Exemplar message (no filtered attributes). */
function encodeExemplarField(e: Exemplar): Uint8Array {
  const body = Buffer.alloc(9 + 9 + 10 + 18);
  let p = 0;
  body[p++] = (2 << 3) | 1; // time_unix_nano, fixed64
  body.writeBigUInt64LE(timeUnixNano(e.timeMs), p);
  p += 8;
  body[p++] = (3 << 3) | 1; // as_double, double
  body.writeDoubleLE(e.value, p);
  p += 8;
  body[p++] = (4 << 3) | 2; // span_id, bytes
  body[p++] = 8;
  p += body.write(e.spanId, p, 'hex');
  body[p++] = (5 << 3) | 2; // trace_id, bytes
  body[p++] = 16;
  p += body.write(e.traceId, p, 'hex');
  return Buffer.concat([lengthDelimitedHeader(F_EXEMPLARS, p), body.subarray(0, p)]);
}
