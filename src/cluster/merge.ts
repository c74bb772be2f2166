import type { Attributes, HrTime } from '@opentelemetry/api';
import type { DataPoint, Histogram, MetricData, ResourceMetrics, ScopeMetrics } from '@opentelemetry/sdk-metrics';
import type { AttrDef, CurrentMetric, Kind, MetricDef, PointValue, WireDecoder } from './decode.js';
import { attrKey } from './keys.js';
import type { GaugeAggregation } from './wire.js';

export { attrKey } from './keys.js';

/** The attribute that names the process a per-worker series comes from. */
export const WORKER_ATTRIBUTE = 'worker';

export interface Contribution {
  /** Worker name for per-worker series. */
  id: string;
  /** The process's current cumulative values, as received over the wire. */
  state: WireDecoder;
}

interface Slot {
  attributes: Attributes;
  value: PointValue;
  /** False while a histogram `value` is a contribution's own object: cloned only when a second one is added (copy-on-write). */
  owned: boolean;
  /** When the value was recorded (for the 'last' gauge aggregation). */
  end: HrTime;
}

interface Entry {
  def: MetricDef;
  start: HrTime;
  end: HrTime;
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
 * Attribute keys come precomputed with each connection's attribute table: per point, merging
 * is one map lookup and an addition.
 */
export class ClusterMerger {
  private readonly retired = new Map<string, Entry>();
  private retiredVersion = 0;
  /**
   * Per metric: the inputs of its last merge and the result. A metric whose inputs did not
   * change since (no worker sent a new value for it) is served from here without merging.
   */
  private cache = new Map<string, { inputs: Input[]; retiredVersion: number; metric: MetricData }>();

  /** Fold a departed worker's last counters and histograms in (bounded: one entry per series). */
  retire(state: WireDecoder): void {
    for (const cur of state.current.values()) this.add(this.retired, { id: '', state }, cur, true);
    // The retired sums are this merger's own from now on: nothing may alias the departed decoder.
    for (const e of this.retired.values()) for (const slot of e.points.values()) own(slot);
    this.retiredVersion++;
  }

  merge(resource: ResourceMetrics['resource'], contributions: Contribution[]): ResourceMetrics {
    const groups = new Map<string, Input[]>();
    for (const c of contributions) {
      for (const cur of c.state.current.values()) {
        const input: Input = { c, cur, version: cur.version, agg: aggregationOf(c, cur.def) };
        const g = groups.get(cur.def.key);
        if (g === undefined) groups.set(cur.def.key, [input]);
        else g.push(input);
      }
    }
    for (const key of this.retired.keys()) if (!groups.has(key)) groups.set(key, []);
    const cache = new Map<string, { inputs: Input[]; retiredVersion: number; metric: MetricData }>();
    const scopes = new Map<string, ScopeMetrics>();
    for (const [key, inputs] of groups) {
      let cached = this.cache.get(key);
      if (cached === undefined || cached.retiredVersion !== this.retiredVersion || !sameInputs(cached.inputs, inputs)) {
        cached = { inputs, retiredVersion: this.retiredVersion, metric: this.mergeOne(key, inputs) };
      }
      cache.set(key, cached);
      const scope = (inputs[0]?.cur.def ?? this.retired.get(key)!.def).scope;
      const sk = `${scope.name}\0${scope.version ?? ''}`;
      let sm = scopes.get(sk);
      if (sm === undefined) scopes.set(sk, (sm = { scope, metrics: [] }));
      sm.metrics.push(cached.metric);
    }
    this.cache = cache;
    return { resource, scopeMetrics: [...scopes.values()] };
  }

  private mergeOne(key: string, inputs: Input[]): MetricData {
    const out = new Map<string, Entry>();
    for (const { c, cur } of inputs) this.add(out, c, cur, false);
    const r = this.retired.get(key);
    if (r !== undefined) {
      const e = entry(out, r.def, r.start, r.end, undefined);
      for (const [ak, slot] of r.points) combine(e, ak, slot.attributes, slot.value, slot.end, 'sum', 'retired');
    }
    const e = out.get(key)!;
    const dataPoints: DataPoint<unknown>[] = [];
    for (const slot of e.points.values()) dataPoints.push({ startTime: e.start, endTime: e.end, attributes: slot.attributes, value: slot.value });
    return { ...e.def.template, dataPoints } as MetricData;
  }

  private add(out: Map<string, Entry>, c: Contribution, cur: CurrentMetric, retiring: boolean): void {
    const def = cur.def;
    const kind = def.kind;
    if (retiring && kind !== 'counter' && kind !== 'histogram') return;
    if (kind === 'host') {
      const e = out.get(def.key);
      if (e !== undefined && e.owner !== c.id) return;
    }
    const agg = aggregationOf(c, def);
    const perWorker = agg === 'worker' && (kind === 'gauge' || kind === 'other');
    const e = entry(out, def, cur.start, cur.end, c.id);
    const attrs = c.state.attrs;
    for (const [aid, value] of cur.points) {
      const a = attrs[aid]!;
      const w = perWorker ? withWorker(a, c.id) : a;
      combine(e, w.key, w.attributes, value, cur.end, agg, c.id);
    }
  }
}

/** One contribution's metric as it stood when merged. */
interface Input {
  c: Contribution;
  cur: CurrentMetric;
  version: number;
  agg: GaugeAggregation;
}

function sameInputs(a: Input[], b: Input[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.cur !== y.cur || x.version !== y.version || x.c.id !== y.c.id || x.agg !== y.agg) return false;
  }
  return true;
}

function aggregationOf(c: Contribution, def: MetricDef): GaugeAggregation {
  return def.kind === 'gauge' || def.kind === 'other' ? (c.state.aggregations[def.template.descriptor.name] ?? 'worker') : 'sum';
}

function entry(out: Map<string, Entry>, def: MetricDef, start: HrTime, end: HrTime, owner: string | undefined): Entry {
  let e = out.get(def.key);
  if (e === undefined) {
    out.set(def.key, (e = { def, start, end, points: new Map(), owner }));
  } else {
    if (compareTime(start, e.start) < 0) e.start = start;
    if (compareTime(end, e.end) > 0) e.end = end;
  }
  return e;
}

function combine(e: Entry, ak: string, attributes: Attributes, value: PointValue, end: HrTime, agg: GaugeAggregation, owner: string): void {
  const slot = e.points.get(ak);
  if (slot === undefined) {
    e.points.set(ak, { attributes, value, owned: false, end });
    return;
  }
  const kind: Kind = e.def.kind;
  if (kind === 'other' || kind === 'host') return;
  if (kind === 'histogram') {
    own(slot);
    if (!mergeHistogram(slot.value as Histogram, value as Histogram)) {
      // Different bucket layouts cannot be added exactly: keep this process's series apart.
      const attrs = { ...attributes, [WORKER_ATTRIBUTE]: owner };
      combine(e, attrKey(attrs), attrs, value, end, agg, owner);
    }
    return;
  }
  const a = slot.value as number;
  const b = value as number;
  switch (agg) {
    case 'min':
      slot.value = Math.min(a, b);
      break;
    case 'max':
      slot.value = Math.max(a, b);
      break;
    case 'last':
      if (compareTime(end, slot.end) >= 0) (slot.value = b), (slot.end = end);
      break;
    default:
      slot.value = a + b;
  }
}

function withWorker(a: AttrDef, id: string): { attributes: Attributes; key: string } {
  let w = a.worker;
  if (w === undefined || w.attributes[WORKER_ATTRIBUTE] !== id) {
    const attributes = { ...a.attributes, [WORKER_ATTRIBUTE]: id };
    a.worker = w = { attributes, key: attrKey(attributes) };
  }
  return w;
}

function own(slot: Slot): void {
  if (slot.owned) return;
  slot.owned = true;
  const v = slot.value;
  if (typeof v === 'object' && v !== null && 'buckets' in v) {
    const h = v as Histogram;
    slot.value = { ...h, buckets: { boundaries: h.buckets.boundaries, counts: h.buckets.counts.slice() } };
  }
}

function mergeHistogram(a: Histogram, b: Histogram): boolean {
  const ab = a.buckets.boundaries;
  const bb = b.buckets.boundaries;
  if (ab !== bb) {
    if (ab.length !== bb.length) return false;
    for (let i = 0; i < ab.length; i++) if (ab[i] !== bb[i]) return false;
  }
  for (let i = 0; i < a.buckets.counts.length; i++) a.buckets.counts[i]! += b.buckets.counts[i] ?? 0;
  a.count += b.count;
  a.sum = (a.sum ?? 0) + (b.sum ?? 0);
  if (b.count > 0) {
    a.min = a.min === undefined || a.count === b.count ? b.min : b.min === undefined ? a.min : Math.min(a.min, b.min);
    a.max = a.max === undefined || a.count === b.count ? b.max : b.max === undefined ? a.max : Math.max(a.max, b.max);
  }
  return true;
}

function compareTime(a: HrTime, b: HrTime): number {
  return a[0] !== b[0] ? a[0] - b[0] : a[1] - b[1];
}
