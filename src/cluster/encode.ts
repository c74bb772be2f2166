import type { Attributes } from '@opentelemetry/api';
import type { DataPoint, MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { shapeOf } from '../metrics/aggregations/registry.js';
import type { PointValue, WireSent, WireTables } from '../metrics/aggregations/types.js';
import { attrKey, wireNumber } from './keys.js';
import type { GaugeAggregation, MetricDefWire, Payload, WireValue } from './wire.js';

/** What was last sent for one metric: value per attribute id (a number, or a histogram's numbers, or JSON). */
interface SentMetric {
  gen: number;
  points: Map<number, WireSent>;
}

/** Beyond this many interned attribute sets the connection's tables start over (bounded memory on both ends). */
const MAX_ATTRS = 200_000;

/**
 * The follower's half of the wire (one per connection): interns metric descriptors, attribute
 * sets and histogram boundaries to small integers, sending each definition once, and sends
 * only the points whose value changed since the previous payload. Every payload it returns
 * must reach the leader, in order (one socket, written in the same tick as encoded).
 */
export class WireEncoder implements WireTables {
  private metricIds = new Map<string, number>();
  private attrByObject = new WeakMap<Attributes, number>();
  private attrByKey = new Map<string, number>();
  private boundsByObject = new WeakMap<number[], number>();
  private boundsByKey = new Map<string, number>();
  private sent = new Map<number, SentMetric>();
  private aggregations = '{}';
  private gen = 0;
  private md: MetricDefWire[] = [];
  private ad: (number | Attributes)[] = [];
  private bd: (number | number[])[] = [];

  /** `maxAttrs`: beyond this many interned attribute sets, the next payload starts the tables over. */
  constructor(private readonly maxAttrs = MAX_ATTRS) {}

  encode(rm: ResourceMetrics, aggregations: Record<string, GaugeAggregation>): Payload {
    const reset = this.attrByKey.size > this.maxAttrs;
    if (reset) this.clear();
    const gen = ++this.gen;
    const m: WireValue[][] = [];
    const seen = new Set<string>();
    for (const sm of rm.scopeMetrics) {
      for (const metric of sm.metrics) {
        if (metric.dataPoints.length === 0) continue;
        const id = this.metricId(sm.scope, metric, seen);
        let sent = this.sent.get(id);
        const fresh = sent === undefined;
        if (sent === undefined) this.sent.set(id, (sent = { gen, points: new Map() }));
        sent.gen = gen;
        const row = this.changes(id, metric, sent, fresh);
        if (row !== undefined) m.push(row);
      }
    }
    const out: Payload = { m };
    if (reset) out.r = 1;
    const gone: number[] = [];
    for (const [id, s] of this.sent) {
      if (s.gen !== gen) {
        gone.push(id);
        this.sent.delete(id);
      }
    }
    if (gone.length > 0) out.gone = gone;
    if (this.md.length > 0) {
      out.md = this.md;
      this.md = [];
    }
    if (this.ad.length > 0) {
      out.ad = this.ad;
      this.ad = [];
    }
    if (this.bd.length > 0) {
      out.bd = this.bd;
      this.bd = [];
    }
    const ag = JSON.stringify(aggregations);
    if (ag !== this.aggregations) {
      out.ag = aggregations;
      this.aggregations = ag;
    }
    return out;
  }

  /** The metric's changed points (all of them when `full` or when one went away), or undefined when none changed. */
  private changes(id: number, metric: MetricData, sent: SentMetric, full: boolean): WireValue[] | undefined {
    const points = metric.dataPoints as DataPoint<PointValue>[];
    const first = points[0]!;
    let start = first.startTime;
    let end = first.endTime;
    const row: WireValue[] = [id, 0, 0, 0, 0, 0];
    const prev = sent.points;
    const prevSize = prev.size;
    let known = 0;
    const shape = shapeOf(metric);
    for (let pass = 0; pass < 2; pass++) {
      for (const p of points) {
        if (p.startTime[0] < start[0] || (p.startTime[0] === start[0] && p.startTime[1] < start[1])) start = p.startTime;
        if (p.endTime[0] > end[0] || (p.endTime[0] === end[0] && p.endTime[1] > end[1])) end = p.endTime;
        const aid = this.attrId(p.attributes);
        const before = full ? undefined : prev.get(aid);
        if (before !== undefined) known++;
        const at = row.length;
        row.push(aid);
        const now = shape.encode(p.value, before, row, this);
        if (now === undefined) row.length = at;
        else prev.set(aid, now);
      }
      // A series that went away cannot be said by listing changes: send the metric in full.
      if (full || known === prevSize) break;
      full = true;
      prev.clear();
      row.length = 6;
      known = 0;
    }
    if (row.length === 6 && !full) return undefined;
    row[1] = full ? 1 : 0;
    row[2] = start[0];
    row[3] = start[1];
    row[4] = end[0];
    row[5] = end[1];
    return row;
  }

  /**
   * `seen`: definitions met in this payload; a second metric with the same definition (one scope
   * registered twice) gets its own id, and the leader adds both.
   */
  private metricId(scope: ResourceMetrics['scopeMetrics'][number]['scope'], m: MetricData, seen: Set<string>): number {
    const d = m.descriptor;
    const monotonic = 'isMonotonic' in m ? m.isMonotonic : null;
    const def: MetricDefWire = [
      0,
      scope.name,
      scope.version ?? null,
      scope.schemaUrl ?? null,
      d.name,
      d.description,
      d.unit,
      d.valueType,
      m.dataPointType,
      monotonic,
      m.aggregationTemporality,
    ];
    let key = JSON.stringify(def);
    while (seen.has(key)) key += '+';
    seen.add(key);
    let id = this.metricIds.get(key);
    if (id === undefined) {
      this.metricIds.set(key, (id = this.metricIds.size));
      def[0] = id;
      this.md.push(def);
    }
    return id;
  }

  private attrId(a: Attributes): number {
    let id = this.attrByObject.get(a);
    if (id !== undefined) return id;
    // The SDK hands a new attributes object for a series that recorded since the last
    // collection: found again by content.
    const key = attrKey(a);
    id = this.attrByKey.get(key);
    if (id === undefined) {
      this.attrByKey.set(key, (id = this.attrByKey.size));
      this.ad.push(id, a);
    }
    this.attrByObject.set(a, id);
    return id;
  }

  boundsId(b: number[]): number {
    let id = this.boundsByObject.get(b);
    if (id !== undefined) return id;
    const key = JSON.stringify(b.map(wireNumber));
    id = this.boundsByKey.get(key);
    if (id === undefined) {
      this.boundsByKey.set(key, (id = this.boundsByKey.size));
      this.bd.push(id, b.map(wireNumber) as number[]);
    }
    this.boundsByObject.set(b, id);
    return id;
  }

  private clear(): void {
    this.metricIds = new Map();
    this.attrByObject = new WeakMap();
    this.attrByKey = new Map();
    this.boundsByObject = new WeakMap();
    this.boundsByKey = new Map();
    this.sent = new Map();
    this.aggregations = '{}';
    this.md = [];
    this.ad = [];
    this.bd = [];
  }
}
