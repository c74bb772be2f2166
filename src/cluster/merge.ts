import type { Attributes, HrTime } from '@opentelemetry/api';
import type { DataPoint, MetricData, ResourceMetrics, ScopeMetrics } from '@opentelemetry/sdk-metrics';
import type { CurrentMetric, MetricDef, PointValue, WireDecoder } from './decode.js';
import { compareTime, put, slotFor, withWorker, WORKER_ATTRIBUTE, type Merged, type Slot } from './combine.js';
import { attrKey } from './keys.js';
import type { GaugeAggregation } from './wire.js';

export { attrKey } from './keys.js';
export { WORKER_ATTRIBUTE } from './combine.js';

export interface Contribution {
  /** Worker name for per-worker series. */
  id: string;
  /** The process's current cumulative values, as received over the wire. */
  state: WireDecoder;
}

/** A departed worker's last counters and histograms, summed by (metric, attributes). */
interface Retired {
  def: MetricDef;
  start: HrTime;
  end: HrTime;
  points: Map<string, { attributes: Attributes; value: PointValue; end: HrTime }>;
}

/** One contribution's metric as it stood when merged. */
interface Input {
  c: Contribution;
  cur: CurrentMetric;
  version: number;
  agg: GaugeAggregation;
}

/** Where a contribution's series land in a metric's merged slots, by attribute id. */
interface SlotRefs {
  merged: Merged;
  epoch: number;
  id: string;
  perWorker: boolean;
  slots: (Slot | undefined)[];
}

/**
 * Exact merge of cumulative metrics over processes. Counters and histograms are summed by
 * (scope, metric name, attributes); up-down counters summed over live processes; gauges get
 * one series per worker (or the declared sum/min/max/last); `system.*` metrics describe the
 * host, which every process sees alike, so one process's values are served instead of N copies.
 * Processes that exited are folded into `retired`, so a summed counter never goes down.
 *
 * Cheap by construction: a metric whose inputs did not change since the last merge is served
 * from that merge; otherwise each series of a contribution finds its merged slot through a
 * reference cached by attribute id — no key is built or hashed per point.
 */
export class ClusterMerger {
  private readonly retired = new Map<string, Retired>();
  private retiredVersion = 0;
  private readonly merged = new Map<string, Merged>();
  private cache = new Map<string, { inputs: Input[]; retiredVersion: number; metric: MetricData }>();
  private readonly refs = new WeakMap<CurrentMetric, SlotRefs>();

  /** Fold a departed worker's last counters and histograms in (bounded: one entry per series). */
  retire(state: WireDecoder): void {
    for (const cur of state.current.values()) {
      const def = cur.def;
      if (def.host || !def.shape.keptAfterExit) continue;
      let r = this.retired.get(def.key);
      if (r === undefined) this.retired.set(def.key, (r = { def, start: cur.start, end: cur.end, points: new Map() }));
      if (compareTime(cur.start, r.start) < 0) r.start = cur.start;
      if (compareTime(cur.end, r.end) > 0) r.end = cur.end;
      for (const [aid, value] of cur.points) {
        const a = state.attrs[aid]!;
        addRetired(r, a.attributes, a.key, value, cur.end);
      }
    }
    this.retiredVersion++;
  }

  merge(resource: ResourceMetrics['resource'], contributions: Contribution[]): ResourceMetrics {
    const steps = this.mergeSteps(resource, contributions);
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
    }
  }

  /**
   * The merge as a generator that yields every few hundred series, where it may pause: run
   * through TimeSlicer.run, a merge of 100,000 series gives the event loop back between slices.
   * One merge at a time: a merger's slots are written by the merge in progress.
   */
  *mergeSteps(resource: ResourceMetrics['resource'], contributions: Contribution[]): Generator<void, ResourceMetrics> {
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
        cached = { inputs, retiredVersion: this.retiredVersion, metric: yield* this.mergeOne(key, inputs) };
      }
      cache.set(key, cached);
      const scope = (inputs[0]?.cur.def ?? this.retired.get(key)!.def).scope;
      const sk = `${scope.name}\0${scope.version ?? ''}`;
      let sm = scopes.get(sk);
      if (sm === undefined) scopes.set(sk, (sm = { scope, metrics: [] }));
      sm.metrics.push(cached.metric);
    }
    this.cache = cache;
    for (const key of this.merged.keys()) if (!groups.has(key)) this.merged.delete(key);
    return { resource, scopeMetrics: [...scopes.values()] };
  }

  private *mergeOne(key: string, inputs: Input[]): Generator<void, MetricData> {
    let m = this.merged.get(key);
    if (m === undefined) this.merged.set(key, (m = { slots: new Map(), gen: 0, epoch: 0, live: [] }));
    m.gen++;
    m.live = [];
    const r = this.retired.get(key);
    let def = inputs[0]?.cur.def ?? r!.def;
    let start = inputs[0]?.cur.start ?? r!.start;
    let end = inputs[0]?.cur.end ?? r!.end;
    let owner: string | undefined;
    for (const { c, cur, agg } of inputs) {
      // Host metrics: one process's values (the first to supply them), not a sum of copies.
      if (cur.def.host && owner !== undefined && owner !== c.id) continue;
      owner ??= c.id;
      def = cur.def;
      if (compareTime(cur.start, start) < 0) start = cur.start;
      if (compareTime(cur.end, end) > 0) end = cur.end;
      const perWorker = agg === 'worker';
      let refs = this.refs.get(cur);
      if (refs === undefined || refs.merged !== m || refs.epoch !== m.epoch || refs.id !== c.id || refs.perWorker !== perWorker) {
        this.refs.set(cur, (refs = { merged: m, epoch: m.epoch, id: c.id, perWorker, slots: [] }));
      }
      const slots = refs.slots;
      const attrs = c.state.attrs;
      let n = 0;
      for (const [aid, value] of cur.points) {
        if ((++n & 255) === 0) yield;
        let slot = slots[aid];
        if (slot === undefined) {
          const a = perWorker ? withWorker(attrs[aid]!, c.id) : attrs[aid]!;
          slots[aid] = slot = slotFor(m, a.key, a.attributes);
        }
        put(m, slot, value, cur.end, cur.def, agg, c.id);
      }
    }
    if (r !== undefined) {
      if (compareTime(r.start, start) < 0) start = r.start;
      let n = 0;
      for (const [ak, p] of r.points) {
        if ((++n & 255) === 0) yield;
        put(m, slotFor(m, ak, p.attributes), p.value, p.end, r.def, 'sum', 'retired');
      }
    }
    const live = m.live;
    if (m.slots.size > 2 * live.length + 64) {
      // Series that went away: drop their slots (and every cached reference to them).
      m.slots = new Map(live.map((s) => [s.key, s]));
      m.epoch++;
    }
    const dataPoints = new Array<DataPoint<unknown>>(live.length);
    for (let i = 0; i < live.length; i++) {
      if ((i & 1023) === 1023) yield;
      const s = live[i]!;
      // Each field is replaced whole, never mutated: a scrape still writing the previous merge
      // reads a point's old or new value, each a complete cumulative value.
      let p = s.point;
      if (p === undefined) s.point = p = { startTime: start, endTime: end, attributes: s.attributes, value: s.value };
      else {
        p.startTime = start;
        p.endTime = end;
        p.value = s.value;
      }
      dataPoints[i] = p as DataPoint<unknown>;
    }
    return { ...def.template, dataPoints } as MetricData;
  }
}

function addRetired(r: Retired, attributes: Attributes, key: string, value: PointValue, end: HrTime): void {
  const p = r.points.get(key);
  // Copied: the retired sums are this merger's own, nothing aliases the departed decoder.
  const shape = r.def.shape;
  if (p === undefined) {
    r.points.set(key, { attributes, value: shape.copy(value), end });
    return;
  }
  const combined = shape.combine(p.value, value, 'sum');
  if (combined !== undefined) p.value = combined;
  else if (attributes[WORKER_ATTRIBUTE] !== 'retired') {
    // Bucket layouts differ: kept apart, like a live worker's.
    const apart = { ...attributes, [WORKER_ATTRIBUTE]: 'retired' };
    addRetired(r, apart, attrKey(apart), value, end);
  }
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

/** A gauge's declared rule (default one series per worker); every other metric's values add up. */
function aggregationOf(c: Contribution, def: MetricDef): GaugeAggregation {
  return def.shape.perWorker && !def.host ? (c.state.aggregations[def.template.descriptor.name] ?? 'worker') : 'sum';
}
