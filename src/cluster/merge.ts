import type { Attributes, HrTime } from '@opentelemetry/api';
import type { DataPoint, Histogram, MetricData, ResourceMetrics, ScopeMetrics } from '@opentelemetry/sdk-metrics';
import { DataPointType } from '../metrics/sdk-enums.js';
import type { GaugeAggregation, Snapshot } from './wire.js';

/** The attribute that names the process a per-worker series comes from. */
export const WORKER_ATTRIBUTE = 'worker';

export interface Contribution {
  /** Worker name for per-worker series. */
  id: string;
  snapshot: Snapshot;
}

type Point = { -readonly [K in keyof DataPoint<unknown>]: DataPoint<unknown>[K] };

type Kind = 'counter' | 'updown' | 'histogram' | 'gauge' | 'host' | 'other';

interface Slot {
  p: Point;
  /** False while `p` is a contribution's own object: cloned only when a second one is added (copy-on-write). */
  owned: boolean;
}

interface Entry {
  scope: ScopeMetrics['scope'];
  metric: MetricData;
  kind: Kind;
  points: Map<string, Slot>;
  /** For 'host': the contribution that supplied it, so one process's values are served. */
  owner?: string;
}

/**
 * Exact merge of cumulative metrics over processes. Counters and histograms are summed by
 * (scope, metric name, attributes); up-down counters summed over live processes; gauges get
 * one series per worker (or the declared sum/min/max/last); `system.*` metrics describe the
 * host, which every process sees alike, so one process's values are served instead of N copies.
 * Processes that exited are folded into `retired`, so a summed counter never goes down.
 */
export class ClusterMerger {
  private readonly retired = new Map<string, Entry>();

  /** Fold a departed worker's last counters and histograms in (bounded: one entry per series). */
  retire(snapshot: Snapshot): void {
    this.addSnapshot(this.retired, { id: '', snapshot }, true);
  }

  merge(resource: ResourceMetrics['resource'], contributions: Contribution[]): ResourceMetrics {
    const out = new Map<string, Entry>();
    for (const c of contributions) this.addSnapshot(out, c, false);
    for (const [key, r] of this.retired) {
      for (const [ak, slot] of r.points) addPoint(out, key, r.scope, r.metric, r.kind, ak, slot.p, undefined);
    }
    const scopes = new Map<string, ScopeMetrics>();
    for (const e of out.values()) {
      const sk = `${e.scope.name}\0${e.scope.version ?? ''}`;
      let sm = scopes.get(sk);
      if (sm === undefined) scopes.set(sk, (sm = { scope: e.scope, metrics: [] }));
      const dataPoints: Point[] = [];
      for (const slot of e.points.values()) dataPoints.push(slot.p);
      sm.metrics.push({ ...e.metric, dataPoints } as MetricData);
    }
    return { resource, scopeMetrics: [...scopes.values()] };
  }

  private addSnapshot(out: Map<string, Entry>, c: Contribution, retiring: boolean): void {
    for (const sm of c.snapshot.scopeMetrics) {
      for (const m of sm.metrics) {
        const kind = kindOf(m);
        if (retiring && kind !== 'counter' && kind !== 'histogram') continue;
        const key = `${sm.scope.name}\0${m.descriptor.name}`;
        if (kind === 'host') {
          const e = out.get(key);
          if (e !== undefined && e.owner !== c.id) continue;
        }
        const agg: GaugeAggregation = kind === 'gauge' || kind === 'other' ? (c.snapshot.aggregations?.[m.descriptor.name] ?? 'worker') : 'sum';
        for (const p of m.dataPoints as DataPoint<unknown>[]) {
          let attrs = p.attributes;
          if ((kind === 'gauge' || kind === 'other') && agg === 'worker') attrs = { ...attrs, [WORKER_ATTRIBUTE]: c.id };
          const ak = attrKey(attrs);
          addPoint(out, key, sm.scope, m, kind, ak, attrs === p.attributes ? p : { ...p, attributes: attrs }, agg, c.id);
        }
      }
    }
  }
}

function kindOf(m: MetricData): Kind {
  if (m.descriptor.name.startsWith('system.')) return 'host';
  switch (m.dataPointType) {
    case DataPointType.SUM:
      return m.isMonotonic ? 'counter' : 'updown';
    case DataPointType.HISTOGRAM:
      return 'histogram';
    case DataPointType.GAUGE:
      return 'gauge';
    default:
      return 'other';
  }
}

function addPoint(
  out: Map<string, Entry>,
  key: string,
  scope: ScopeMetrics['scope'],
  metric: MetricData,
  kind: Kind,
  ak: string,
  p: DataPoint<unknown>,
  agg: GaugeAggregation | undefined,
  owner?: string,
): void {
  let e = out.get(key);
  if (e === undefined) {
    const { dataPoints: _omit, ...template } = metric;
    out.set(key, (e = { scope, metric: template as MetricData, kind, points: new Map(), owner }));
  }
  const slot = e.points.get(ak);
  if (slot === undefined) {
    e.points.set(ak, { p: p as Point, owned: false });
    return;
  }
  if (kind === 'other' || kind === 'host') return;
  if (!slot.owned) {
    slot.p = clonePoint(slot.p);
    slot.owned = true;
  }
  const prev = slot.p;
  prev.startTime = minTime(prev.startTime, p.startTime);
  prev.endTime = maxTime(prev.endTime, p.endTime);
  if (kind === 'histogram') {
    if (!mergeHistogram(prev.value as Histogram, p.value as Histogram)) {
      // Different bucket layouts cannot be added exactly: keep this process's series apart.
      const attrs = { ...p.attributes, [WORKER_ATTRIBUTE]: owner ?? 'retired' };
      addPoint(out, key, scope, metric, kind, attrKey(attrs), { ...p, attributes: attrs }, agg, owner);
    }
    return;
  }
  const a = prev.value as number;
  const b = p.value as number;
  switch (agg) {
    case 'min':
      prev.value = Math.min(a, b);
      break;
    case 'max':
      prev.value = Math.max(a, b);
      break;
    case 'last':
      if (compareTime(p.endTime, prev.endTime) >= 0) prev.value = b;
      break;
    default:
      prev.value = a + b;
  }
}

function mergeHistogram(a: Histogram, b: Histogram): boolean {
  const ab = a.buckets.boundaries;
  const bb = b.buckets.boundaries;
  if (ab.length !== bb.length) return false;
  for (let i = 0; i < ab.length; i++) if (ab[i] !== bb[i]) return false;
  for (let i = 0; i < a.buckets.counts.length; i++) a.buckets.counts[i]! += b.buckets.counts[i] ?? 0;
  a.count += b.count;
  a.sum = (a.sum ?? 0) + (b.sum ?? 0);
  if (b.count > 0) {
    // JSON turns an empty histogram's ±Infinity min/max into null, hence `== null`.
    a.min = a.min == null || a.count === b.count ? b.min : b.min == null ? a.min : Math.min(a.min, b.min);
    a.max = a.max == null || a.count === b.count ? b.max : b.max == null ? a.max : Math.max(a.max, b.max);
  }
  return true;
}

function clonePoint(p: DataPoint<unknown>): Point {
  const v = p.value;
  if (typeof v === 'object' && v !== null && 'buckets' in v) {
    const h = v as Histogram;
    return {
      ...p,
      startTime: [...p.startTime] as HrTime,
      endTime: [...p.endTime] as HrTime,
      value: { ...h, buckets: { boundaries: h.buckets.boundaries, counts: h.buckets.counts.slice() } },
    };
  }
  return { ...p, startTime: [...p.startTime] as HrTime, endTime: [...p.endTime] as HrTime };
}

/** Attribute-set identity independent of key order. */
export function attrKey(attrs: Attributes): string {
  const keys = Object.keys(attrs);
  if (keys.length === 0) return '';
  if (keys.length > 1) keys.sort();
  let s = '';
  for (const k of keys) {
    const v = attrs[k];
    // The type is part of the identity: 200 and "200" are different attribute values.
    s += k + (typeof v === 'string' ? '\u0001' + v : '\u0003' + JSON.stringify(v)) + '\u0002';
  }
  return s;
}

function compareTime(a: HrTime, b: HrTime): number {
  return a[0] !== b[0] ? a[0] - b[0] : a[1] - b[1];
}
const minTime = (a: HrTime, b: HrTime) => (compareTime(a, b) <= 0 ? a : ([...b] as HrTime));
const maxTime = (a: HrTime, b: HrTime) => (compareTime(a, b) >= 0 ? a : ([...b] as HrTime));
