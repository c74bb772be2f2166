import type { Attributes, HrTime } from '@opentelemetry/api';
import type { MetricData, ScopeMetrics } from '@opentelemetry/sdk-metrics';
import { shapeOf } from '../metrics/aggregations/registry.js';
import type { MetricShape, PointValue, WireCursor } from '../metrics/aggregations/types.js';
import { attrKey, fromWire } from './keys.js';
import type { GaugeAggregation, MetricDefWire, Payload, WireValue } from './wire.js';

export type { PointValue } from '../metrics/aggregations/types.js';

export interface MetricDef {
  /** Merge identity: (scope name, metric name). */
  key: string;
  scope: ScopeMetrics['scope'];
  /** The metric without its points. */
  template: Omit<MetricData, 'dataPoints'>;
  /** How its points travel, merge and survive their process. */
  shape: MetricShape;
  /** A `system.*` metric: it describes the host, which every process sees alike. */
  host: boolean;
}

export interface AttrDef {
  attributes: Attributes;
  /** attrKey(attributes), computed once per connection: merging builds no strings. */
  key: string;
  /** The same set plus the worker attribute (per-worker gauges), made on first use. */
  worker?: { attributes: Attributes; key: string };
}

export interface CurrentMetric {
  def: MetricDef;
  start: HrTime;
  end: HrTime;
  /** attribute id → value. */
  points: Map<number, PointValue>;
  /** Bumped on every change: the merger reuses its last result for a metric whose inputs kept their versions. */
  version: number;
}

/** Thrown on a payload that refers to something never defined: the leader drops that connection. */
class WireError extends Error {}

/**
 * The leader's half of the wire (one per follower connection, one for the leader itself): the
 * connection's definition tables and the follower's current cumulative values, kept between
 * payloads — they are what a late or departed worker contributes.
 */
export class WireDecoder {
  metrics: MetricDef[] = [];
  attrs: AttrDef[] = [];
  bounds: number[][] = [];
  current = new Map<number, CurrentMetric>();
  aggregations: Record<string, GaugeAggregation> = {};
  /** At least one payload applied. */
  received = false;
  /**
   * Metrics sent in full by a payload still arriving in parts: built here and served only when
   * its last part arrived, so a merge in between never sees a metric with half its series.
   */
  private staged = new Map<number, CurrentMetric>();
  private readonly at: WireCursor = { i: 0 };

  apply(p: Payload): void {
    if (p.r === 1) {
      this.metrics = [];
      this.attrs = [];
      this.bounds = [];
      this.current = new Map();
      this.staged = new Map();
    }
    if (p.md) for (const d of p.md) this.metrics[d[0]] = metricDef(d);
    if (p.ad) for (let i = 0; i + 1 < p.ad.length; i += 2) this.attrs[p.ad[i] as number] = attrDef(p.ad[i + 1] as Attributes);
    if (p.bd)
      for (let i = 0; i + 1 < p.bd.length; i += 2)
        this.bounds[p.bd[i] as number] = (p.bd[i + 1] as unknown[]).map((b) => fromWire(b) ?? NaN);
    if (p.ag) this.aggregations = p.ag;
    if (p.gone)
      for (const id of p.gone) {
        this.current.delete(id);
        this.staged.delete(id);
      }
    const more = p.c === 1;
    for (const row of p.m) this.row(row, more);
    if (!more) {
      for (const [id, cur] of this.staged) this.current.set(id, cur);
      this.staged.clear();
    }
    this.received = true;
  }

  private row(row: WireValue[], more: boolean): void {
    const id = row[0] as number;
    const def = this.metrics[id];
    if (def === undefined) throw new WireError('unknown metric');
    let cur = this.staged.get(id) ?? this.current.get(id);
    const start: HrTime = [row[2] as number, row[3] as number];
    const end: HrTime = [row[4] as number, row[5] as number];
    if (cur === undefined || row[1] === 1) {
      cur = { def, start, end, points: new Map(), version: 0 };
      if (more || this.staged.has(id)) this.staged.set(id, cur);
      else this.current.set(id, cur);
    } else {
      cur.start = start;
      cur.end = end;
      cur.version++;
    }
    const points = cur.points;
    const attrs = this.attrs;
    const shape = def.shape;
    const at = this.at;
    at.i = 6;
    while (at.i + 1 < row.length) {
      const aid = row[at.i++] as number;
      if (attrs[aid] === undefined) throw new WireError('unknown attributes');
      const value = shape.decode(row, at, this.bounds);
      if (value === undefined) throw new WireError('malformed point');
      points.set(aid, value);
    }
  }
}

function metricDef(d: MetricDefWire): MetricDef {
  const [, scopeName, scopeVersion, schemaUrl, name, description, unit, valueType, dataPointType, isMonotonic, aggregationTemporality] = d;
  const scope: { name: string; version?: string; schemaUrl?: string } = { name: scopeName };
  if (scopeVersion !== null) scope.version = scopeVersion;
  if (schemaUrl !== null) scope.schemaUrl = schemaUrl;
  const template = { descriptor: { name, description, unit, valueType }, dataPointType, aggregationTemporality } as Omit<
    MetricData,
    'dataPoints'
  >;
  if (isMonotonic !== null) (template as { isMonotonic?: boolean }).isMonotonic = isMonotonic;
  return {
    key: `${scopeName}\0${name}`,
    scope,
    template,
    shape: shapeOf({ dataPointType, isMonotonic }),
    host: name.startsWith('system.'),
  };
}

function attrDef(attributes: Attributes): AttrDef {
  if (attributes === null || typeof attributes !== 'object') throw new WireError('bad attributes');
  return { attributes, key: attrKey(attributes) };
}
