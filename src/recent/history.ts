import type { Attributes } from '@opentelemetry/api';
import type { DataPoint, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { shapeOf } from '../metrics/aggregations/registry.js';
import type { PointValue, SeriesType } from '../metrics/aggregations/types.js';

export type { SeriesType } from '../metrics/aggregations/types.js';
export { quantile } from '../metrics/quantile.js';

/** One series as the status page lists it, with its history. */
export interface MetricRow {
  name: string;
  type: SeriesType;
  unit: string;
  description: string;
  attributes: Attributes;
  /** Counter: cumulative total; gauge/updowncounter: last value; histogram: count. */
  value: number;
  /** Counters and histograms: increase per second over the last sample interval. */
  rate?: number | null;
  sum?: number;
  min?: number | null;
  max?: number | null;
  p50?: number | null;
  p95?: number | null;
  p99?: number | null;
  /**
   * One value per sample (null where the series had none): counters and histograms their rate
   * per second, gauges their value. Aligned with `MetricHistory.times()`.
   */
  history: (number | null)[];
}

interface Series {
  /** Counter/histogram: cumulative count; gauge: value. NaN = no data at that sample. */
  vals: Float64Array;
  lastSample: number;
}

/** Stable identity of a series: name and attributes with sorted keys. */
export function seriesKey(name: string, attributes: Attributes): string {
  const keys = Object.keys(attributes).sort();
  let k = name;
  for (const a of keys) k += `\u0000${a}=${JSON.stringify(attributes[a])}`;
  return k;
}

/**
 * A bounded in-memory history of every metric series: `points` samples (a ring shared by all
 * series) of one float64 per series, at most `maxSeries` series. Memory is bounded by
 * points × (maxSeries + 1) × 8 bytes plus the series keys (90 × 501 × 8 B ≈ 360 KB by default).
 */
export class MetricHistory {
  private readonly ts: Float64Array;
  private head = 0; // next slot to write
  private size = 0;
  private sampleNo = 0;
  private readonly series = new Map<string, Series>();
  /** Series not kept because maxSeries was reached. */
  droppedSeries = 0;

  constructor(
    readonly points: number,
    readonly maxSeries: number,
  ) {
    this.ts = new Float64Array(points);
  }

  /** Record one collection. */
  sample(rm: ResourceMetrics, now: number): void {
    const steps = this.sampleSteps(rm, now);
    while (steps.next().done !== true);
  }

  /**
   * Record one collection, yielding every few hundred series where the caller may give the
   * event loop back (src/ui/sampler.ts runs it in time slices: at 120,000 series one sample
   * held the loop 40-55 ms, 2-core box). Samples must not overlap.
   */
  *sampleSteps(rm: ResourceMetrics, now: number): Generator<void, void> {
    if (this.points === 0) return;
    const slot = this.head;
    this.ts[slot] = now;
    this.head = (this.head + 1) % this.points;
    if (this.size < this.points) this.size++;
    const n = ++this.sampleNo;
    let seen = 0;
    for (const sm of rm.scopeMetrics) {
      for (const m of sm.metrics) {
        const shape = shapeOf(m);
        for (const p of m.dataPoints as DataPoint<PointValue>[]) {
          if ((++seen & 511) === 0) yield;
          const v = shape.scalar(p.value);
          const key = seriesKey(m.descriptor.name, p.attributes);
          let s = this.series.get(key);
          if (s === undefined) {
            if (this.series.size >= this.maxSeries) {
              this.droppedSeries++;
              continue;
            }
            s = { vals: new Float64Array(this.points).fill(NaN), lastSample: n };
            this.series.set(key, s);
          }
          s.vals[slot] = v;
          s.lastSample = n;
        }
      }
    }
    for (const [key, s] of this.series) {
      if ((++seen & 511) === 0) yield;
      if (s.lastSample !== n) s.vals[slot] = NaN;
      // Gone for a whole window: forget it, so churned label sets do not hold memory.
      if (n - s.lastSample >= this.points) this.series.delete(key);
    }
  }

  /** Sample times (ms since epoch), oldest first. */
  times(): number[] {
    const out: number[] = [];
    for (let k = this.size; k >= 1; k--) out.push(this.ts[(this.head - k + this.points) % this.points]!);
    return out;
  }

  /** Raw values of a series aligned with times(); undefined if not tracked. */
  raw(key: string): number[] | undefined {
    const s = this.series.get(key);
    if (s === undefined) return undefined;
    const out: number[] = [];
    for (let k = this.size; k >= 1; k--) out.push(s.vals[(this.head - k + this.points) % this.points]!);
    return out;
  }

  get seriesCount(): number {
    return this.series.size;
  }
}

/** Per-second increase between consecutive samples (a reset or gap gives null). */
export function rates(values: number[], times: number[]): (number | null)[] {
  return values.map((v, i) => {
    if (i === 0) return null;
    const prev = values[i - 1]!;
    const dt = (times[i]! - times[i - 1]!) / 1000;
    if (!Number.isFinite(v) || !Number.isFinite(prev) || v < prev || dt <= 0) return null;
    return (v - prev) / dt;
  });
}

/** How many series `rm` holds (cheap: no row is built). */
export function seriesCount(rm: ResourceMetrics): number {
  let n = 0;
  for (const sm of rm.scopeMetrics) for (const m of sm.metrics) if (shapeOf(m).seriesType !== undefined) n += m.dataPoints.length;
  return n;
}

/**
 * Rows for the status page: current values from `rm`, history from `h`, the first `limit` series. Attributes are copied:
 * the SDK shares one empty attributes object between series, and the route's cycle-safe JSON
 * would print a repeated reference as "[Circular]".
 */
export function metricRows(rm: ResourceMetrics, h: MetricHistory | undefined, limit = Infinity): MetricRow[] {
  const rows: MetricRow[] = [];
  const times = h?.times() ?? [];
  const clean = (xs: (number | null)[]) => xs.map((x) => (x === null || !Number.isFinite(x) ? null : x));
  for (const sm of rm.scopeMetrics) {
    for (const m of sm.metrics) {
      const shape = shapeOf(m);
      const type = shape.seriesType;
      if (type === undefined) continue;
      const { name, unit, description } = m.descriptor;
      for (const p of m.dataPoints as DataPoint<PointValue>[]) {
        if (rows.length >= limit) return rows;
        const raw = h?.raw(seriesKey(name, p.attributes)) ?? [];
        const r = shape.rated ? rates(raw, times) : undefined;
        rows.push({
          name,
          type,
          unit,
          description,
          attributes: { ...p.attributes },
          value: shape.scalar(p.value),
          ...shape.distribution?.(p.value),
          ...(r ? { rate: r.length ? r[r.length - 1]! : null } : {}),
          history: clean(r ?? raw),
        });
      }
    }
  }
  return rows;
}
