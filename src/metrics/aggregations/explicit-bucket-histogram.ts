import type { Histogram } from '@opentelemetry/sdk-metrics';
import type { Attributes } from '@opentelemetry/api';
import type { Instrument } from '../store.js';
import { Series, type Exemplar } from '../series.js';
import { DataPointType } from '../sdk-enums.js';
import { exemplarClock, recordExemplar } from '../exemplars.js';
import { exemplarSuffix, formatValue } from '../text-format.js';
import { quantile } from '../quantile.js';
import type { HistogramSummary } from '../summary.js';
import { fromWire, wireNumber } from '../../cluster/keys.js';
import type { Aggregation, SummaryRule, WireSent } from './types.js';

/** Histogram buckets for durations in seconds (Prometheus client defaults). */
export const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
/** OTel SDK default explicit bucket boundaries (suited to milliseconds and sizes). */
export const DEFAULT_BUCKETS = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

/** Index of the bucket a value falls into: the first upper bound ≥ value (Prometheus `le`). */
export function bucketIndex(boundaries: number[], value: number): number {
  const n = boundaries.length;
  if (n <= 16) {
    let i = 0;
    while (i < n && value > boundaries[i]!) i++;
    return i;
  }
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value > boundaries[mid]!) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A histogram's series: bucket counts, count, sum, extremes, exemplars. */
class HistogramSeries extends Series {
  override count = 0;
  override sum = 0;
  override min = Infinity;
  override max = -Infinity;
  override readonly buckets: Float64Array;
  override exemplars: (Exemplar | undefined)[] | undefined = undefined;
  override exemplarNext: Float64Array | undefined = undefined;
  constructor(attributes: Attributes, key: string, startTimeMs: number, bucketCount: number) {
    super(attributes, key, startTimeMs);
    this.buckets = new Float64Array(bucketCount);
  }
}

function record(inst: Instrument, s: Series, value: number): void {
  const i = bucketIndex(inst.boundaries, value);
  s.buckets![i]!++;
  s.count++;
  s.sum += value;
  if (value < s.min) s.min = value;
  if (value > s.max) s.max = value;
  // Inlined due-check: a record pays one typed-array read unless this bucket's exemplar is due.
  if (exemplarClock.enabled && (s.exemplarNext === undefined || s.exemplarNext[i]! <= exemplarClock.now)) {
    recordExemplar(s, i, value);
  }
}

function histogramOf(h: Histogram): HistogramSummary {
  const sum = h.sum ?? 0;
  return {
    count: h.count,
    sum,
    min: h.count > 0 && h.min !== undefined ? h.min : null,
    max: h.count > 0 && h.max !== undefined ? h.max : null,
    avg: h.count > 0 ? sum / h.count : null,
  };
}

const pick = (x: number | null, y: number | null, f: (p: number, q: number) => number) => (x === null ? y : y === null ? x : f(x, y));

/** Histograms in the JSON summary: merged over their attribute sets. */
const MERGED: SummaryRule<Histogram, HistogramSummary> = {
  key: 'histograms',
  empty: undefined,
  entry: histogramOf,
  fold(a, b) {
    if (a === undefined) return b;
    const count = a.count + b.count;
    const sum = a.sum + b.sum;
    return { count, sum, min: pick(a.min, b.min, Math.min), max: pick(a.max, b.max, Math.max), avg: count > 0 ? sum / count : null };
  },
};

// Every point of a metric shares its boundaries array (the instrument's, the SDK aggregator's,
// or the cluster connection's interned one): its `le` labels are formatted once.
const leCache = new WeakMap<number[], string[]>();
function leLabels(boundaries: number[]): string[] {
  let out = leCache.get(boundaries);
  if (out === undefined) {
    out = boundaries.map(formatValue);
    out.push('+Inf');
    leCache.set(boundaries, out);
  }
  return out;
}

/** a += b when both have the same buckets; false (a untouched) otherwise. */
export function mergeHistogram(a: Histogram, b: Histogram): boolean {
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

const same = (a: number, b: number) => a === b || (a !== a && b !== b);

function sameHistogram(before: number[], bid: number, h: Histogram): boolean {
  if (
    before[0] !== bid ||
    before[1] !== h.count ||
    !same(before[2]!, h.sum ?? NaN) ||
    !same(before[3]!, h.min ?? NaN) ||
    !same(before[4]!, h.max ?? NaN)
  )
    return false;
  const counts = h.buckets.counts;
  if (before.length !== counts.length + 5) return false;
  for (let i = 0; i < counts.length; i++) if (before[i + 5] !== counts[i]) return false;
  return true;
}

/**
 * OTel's explicit-bucket histogram (a histogram's default): bucket counts, count, sum, min and
 * max per series, exemplars per bucket. Counts only grow, so processes' histograms add up
 * (when their buckets match) and a departed process's stay in the cluster's total.
 */
export const EXPLICIT_BUCKET_HISTOGRAM: Aggregation<Histogram> = {
  name: 'explicit_bucket_histogram',
  dataPointType: DataPointType.HISTOGRAM,
  isMonotonic: undefined,
  instant: false,
  boundaries: (buckets, unit) => buckets ?? (unit === 's' ? SECONDS_BUCKETS : DEFAULT_BUCKETS),
  create: (inst, attributes, key, startTimeMs) => new HistogramSeries(attributes, key, startTimeMs, inst.boundaries.length + 1),
  record,
  value(inst, s) {
    const h: Histogram = { buckets: { boundaries: inst.boundaries, counts: Array.from(s.buckets!) }, count: s.count, sum: s.sum };
    if (s.count > 0) {
      h.min = s.min;
      h.max = s.max;
    }
    return h;
  },
  diff(previous, current) {
    const p = previous.buckets.counts;
    const counts = current.buckets.counts.map((c, i) => c - p[i]!);
    return {
      ...current,
      buckets: { boundaries: current.buckets.boundaries, counts },
      count: current.count - previous.count,
      sum: (current.sum ?? 0) - (previous.sum ?? 0),
    };
  },

  seriesType: 'histogram',
  summary: MERGED,
  prometheusType: 'histogram',
  exemplars: true,
  samples(family, labels, h, exemplars) {
    const { boundaries, counts } = h.buckets;
    const les = leLabels(boundaries);
    const prefix = family + '_bucket{' + labels + (labels ? ',le="' : 'le="');
    let body = '';
    let cum = 0;
    for (let i = 0; i <= boundaries.length; i++) {
      cum += counts[i] ?? 0;
      body += prefix + les[i] + '"} ' + cum + (exemplars ? exemplarSuffix(exemplars[i]) : '') + '\n';
    }
    body += family + '_sum{' + labels + '} ' + formatValue(h.sum ?? 0) + '\n';
    body += family + '_count{' + labels + '} ' + h.count + '\n';
    return body;
  },
  seriesSamples(family, labels, inst, s, exemplars) {
    const counts = s.buckets!;
    const les = leLabels(inst.boundaries);
    const prefix = family + '_bucket{' + labels + (labels ? ',le="' : 'le="');
    let body = '';
    let cum = 0;
    for (let i = 0; i < counts.length; i++) {
      cum += counts[i]!;
      body += prefix + les[i] + '"} ' + cum + (exemplars ? exemplarSuffix(exemplars[i]) : '') + '\n';
    }
    body += family + '_sum{' + labels + '} ' + formatValue(s.sum) + '\n';
    body += family + '_count{' + labels + '} ' + s.count + '\n';
    return body;
  },

  scalar: (h) => h.count,
  rated: true,
  distribution(h) {
    const { boundaries, counts } = h.buckets;
    const min = h.count > 0 ? h.min : undefined;
    const max = h.count > 0 ? h.max : undefined;
    return {
      sum: h.sum ?? 0,
      min: min ?? null,
      max: max ?? null,
      p50: quantile(0.5, boundaries, counts, min, max),
      p95: quantile(0.95, boundaries, counts, min, max),
      p99: quantile(0.99, boundaries, counts, min, max),
    };
  },

  perWorker: false,
  keptAfterExit: true,
  copy: (h) => ({ ...h, buckets: { boundaries: h.buckets.boundaries, counts: h.buckets.counts.slice() } }),
  combine: (a, b) => (mergeHistogram(a, b) ? a : undefined),
  encode(h, before, row, tables) {
    const bid = tables.boundsId(h.buckets.boundaries);
    if (before !== undefined && sameHistogram(before as number[], bid, h)) return undefined;
    row.push(bid, h.count, wireNumber(h.sum), wireNumber(h.min), wireNumber(h.max));
    for (const c of h.buckets.counts) row.push(c);
    return [bid, h.count, h.sum ?? NaN, h.min ?? NaN, h.max ?? NaN, ...h.buckets.counts] as WireSent;
  },
  decode(row, at, bounds) {
    const i = at.i;
    const boundaries = bounds[row[i] as number];
    if (boundaries === undefined) return undefined;
    const n = boundaries.length + 1;
    if (i + 5 + n > row.length) return undefined;
    const h: Histogram = { buckets: { boundaries, counts: row.slice(i + 5, i + 5 + n) as number[] }, count: row[i + 1] as number };
    const sum = fromWire(row[i + 2]);
    const min = fromWire(row[i + 3]);
    const max = fromWire(row[i + 4]);
    if (sum !== undefined) h.sum = sum;
    if (min !== undefined) h.min = min;
    if (max !== undefined) h.max = max;
    at.i = i + 5 + n;
    return h;
  },
};
