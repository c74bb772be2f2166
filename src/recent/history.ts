import type { Attributes } from '@opentelemetry/api';
import type { DataPoint, Histogram, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { DataPointType } from '../metrics/sdk-enums.js';

export type SeriesType = 'counter' | 'updowncounter' | 'gauge' | 'histogram';

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

/** A quantile estimated from cumulative bucket counts (linear within the bucket, clamped to min/max). */
export function quantile(q: number, bounds: number[], counts: number[], min?: number, max?: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c === 0 || seen + c < rank) {
      seen += c;
      continue;
    }
    let lo = i === 0 ? (min ?? Math.min(0, bounds[0] ?? 0)) : bounds[i - 1]!;
    let hi = i < bounds.length ? bounds[i]! : (max ?? bounds[bounds.length - 1] ?? lo);
    if (min !== undefined && Number.isFinite(min)) lo = Math.max(lo, min);
    if (max !== undefined && Number.isFinite(max)) hi = Math.min(hi, max);
    const v = lo + (hi - lo) * ((rank - seen) / c);
    return Number.isFinite(v) ? v : null;
  }
  return max ?? null;
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
    if (this.points === 0) return;
    const slot = this.head;
    this.ts[slot] = now;
    this.head = (this.head + 1) % this.points;
    if (this.size < this.points) this.size++;
    const n = ++this.sampleNo;
    for (const sm of rm.scopeMetrics) {
      for (const m of sm.metrics) {
        for (const p of m.dataPoints as DataPoint<number | Histogram>[]) {
          const v = typeof p.value === 'number' ? p.value : p.value.count;
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

/**
 * Rows for the status page: current values from `rm`, history from `h`. Attributes are copied:
 * the SDK shares one empty attributes object between series, and the route's cycle-safe JSON
 * would print a repeated reference as "[Circular]".
 */
export function metricRows(rm: ResourceMetrics, h: MetricHistory | undefined): MetricRow[] {
  const rows: MetricRow[] = [];
  const times = h?.times() ?? [];
  for (const sm of rm.scopeMetrics) {
    for (const m of sm.metrics) {
      const { name, unit, description } = m.descriptor;
      const monotonic = m.dataPointType === DataPointType.SUM && m.isMonotonic;
      for (const p of m.dataPoints as DataPoint<number | Histogram>[]) {
        const raw = h?.raw(seriesKey(name, p.attributes)) ?? [];
        const clean = (xs: (number | null)[]) => xs.map((x) => (x === null || !Number.isFinite(x) ? null : x));
        if (m.dataPointType === DataPointType.HISTOGRAM) {
          const hv = p.value as Histogram;
          const { boundaries, counts } = hv.buckets;
          const min = hv.count > 0 ? hv.min : undefined;
          const max = hv.count > 0 ? hv.max : undefined;
          const r = rates(raw, times);
          rows.push({
            name, type: 'histogram', unit, description, attributes: { ...p.attributes },
            value: hv.count, sum: hv.sum ?? 0, min: min ?? null, max: max ?? null,
            rate: r.length ? r[r.length - 1]! : null,
            p50: quantile(0.5, boundaries, counts, min, max),
            p95: quantile(0.95, boundaries, counts, min, max),
            p99: quantile(0.99, boundaries, counts, min, max),
            history: clean(r),
          });
        } else {
          const v = p.value as number;
          const r = monotonic ? rates(raw, times) : undefined;
          rows.push({
            name, unit, description, attributes: { ...p.attributes }, value: v,
            type: monotonic ? 'counter' : m.dataPointType === DataPointType.SUM ? 'updowncounter' : 'gauge',
            ...(r ? { rate: r.length ? r[r.length - 1]! : null } : {}),
            history: clean(r ?? raw),
          });
        }
      }
    }
  }
  return rows;
}
