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

/**
 * Wire values per part of a payload: ~10,000 values parse in ~1 ms on the leader (Node 20), so a
 * follower answering 25,000 series sends a dozen short lines, not one of several megabytes.
 */
const PART_VALUES = 10_000;

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

  /** The whole payload at once (tests, and small snapshots). */
  encode(rm: ResourceMetrics, aggregations: Record<string, GaugeAggregation>): Payload {
    let out: Payload | undefined;
    for (const p of this.parts(rm, aggregations, Infinity)) out = p;
    return out!;
  }

  /**
   * The payload as consecutive parts of about `maxValues` wire values each (every part but the
   * last marked `c: 1`), produced lazily: the caller sends each part and may give the event
   * loop back before asking for the next. Applied in order, the parts are the one payload.
   * Nothing else may use this encoder until the last part was taken.
   */
  *parts(rm: ResourceMetrics, aggregations: Record<string, GaugeAggregation>, maxValues = PART_VALUES): Generator<Payload> {
    const reset = this.attrByKey.size > this.maxAttrs;
    if (reset) this.clear();
    const gen = ++this.gen;
    let m: WireValue[][] = [];
    this.partValues = 0;
    let first = true;
    const take = (last: boolean): Payload => {
      const out: Payload = { m };
      if (first && reset) out.r = 1;
      first = false;
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
      if (!last) out.c = 1;
      m = [];
      this.partValues = 0;
      return out;
    };
    const seen = new Set<string>();
    for (const sm of rm.scopeMetrics) {
      for (const metric of sm.metrics) {
        if (metric.dataPoints.length === 0) continue;
        const id = this.metricId(sm.scope, metric, seen);
        let sent = this.sent.get(id);
        const fresh = sent === undefined;
        if (sent === undefined) this.sent.set(id, (sent = { gen, points: new Map() }));
        sent.gen = gen;
        for (const row of this.changes(id, metric, sent, fresh, maxValues)) {
          m.push(row);
          this.partValues += row.length;
          if (this.partFull(0, maxValues)) yield take(false);
        }
      }
    }
    const out = take(true);
    const gone: number[] = [];
    for (const [id, s] of this.sent) {
      if (s.gen !== gen) {
        gone.push(id);
        this.sent.delete(id);
      }
    }
    if (gone.length > 0) out.gone = gone;
    const ag = JSON.stringify(aggregations);
    if (ag !== this.aggregations) {
      out.ag = aggregations;
      this.aggregations = ag;
    }
    yield out;
  }

  /**
   * The metric's changed points (all of them when `full` or when one went away) as rows of
   * about `maxValues` values; none when nothing changed. Only the first row of a full metric
   * says `full`: the others add to it.
   */
  private *changes(id: number, metric: MetricData, sent: SentMetric, full: boolean, maxValues: number): Generator<WireValue[]> {
    const points = metric.dataPoints as DataPoint<PointValue>[];
    const first = points[0]!;
    let start = first.startTime;
    let end = first.endTime;
    const prev = sent.points;
    let known = 0;
    for (let i = 0; i < points.length; i++) {
      const p = points[i]!;
      if (p.startTime[0] < start[0] || (p.startTime[0] === start[0] && p.startTime[1] < start[1])) start = p.startTime;
      if (p.endTime[0] > end[0] || (p.endTime[0] === end[0] && p.endTime[1] > end[1])) end = p.endTime;
      if (!full) {
        const aid = this.knownAttrId(p.attributes);
        if (aid !== undefined && prev.has(aid)) known++;
      }
    }
    // A series that went away cannot be said by listing changes: send the metric in full.
    if (!full && known !== prev.size) full = true;
    if (full) prev.clear();
    const shape = shapeOf(metric);
    let row: WireValue[] = [id, full ? 1 : 0, start[0], start[1], end[0], end[1]];
    for (let i = 0; i < points.length; i++) {
      // Interned here, not above: each definition travels in the part that first uses it.
      const aid = this.attrId(points[i]!.attributes);
      const at = row.length;
      row.push(aid);
      const now = shape.encode(points[i]!.value, full ? undefined : prev.get(aid), row, this);
      if (now === undefined) row.length = at;
      else prev.set(aid, now);
      if (i + 1 < points.length && this.partFull(row.length, maxValues)) {
        yield row;
        row = [id, 0, start[0], start[1], end[0], end[1]];
      }
    }
    // A full metric goes even when empty of points (it replaces what the leader had).
    if (row.length > 6 || row[1] === 1) yield row;
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

  /** Rows already in the current part, in wire values. */
  private partValues = 0;

  /** The current part (with `pending` values more) is as large as a part gets; an attribute set defined in it weighs a few values. */
  private partFull(pending: number, maxValues: number): boolean {
    return this.partValues + pending + 2 * this.ad.length >= maxValues;
  }

  /** The id of an attribute set already interned, without interning it. */
  private knownAttrId(a: Attributes): number | undefined {
    let id = this.attrByObject.get(a);
    if (id !== undefined) return id;
    id = this.attrByKey.get(attrKey(a));
    if (id !== undefined) this.attrByObject.set(a, id);
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
