import type { Attributes } from '@opentelemetry/api';

// One attribute set's values: what the store (src/metrics/store.ts) keeps per series, and what
// the aggregations (src/metrics/aggregations/) read and write.

/** One recorded exemplar: the trace of a recent observation that fell into a bucket. */
export interface Exemplar {
  value: number;
  timeMs: number;
  traceId: string;
  spanId: string;
}

/** `Series.seen` of a series that expired: no longer in its instrument (a bound handle revives it). */
export const GONE = -1;

// Start times are kept as ms since this module loaded: a small integer, which V8 stores in the
// object itself, where a Date.now() value needs a 16-byte heap number per series. Past ~24
// days V8 boxes it again, still exact.
const TIME_BASE = Date.now();

/**
 * One attribute set's values, mutated in place. This base holds what every series has; each
 * aggregation's subclass (src/metrics/aggregations/) initializes only its own numbers, since
 * every field costs heap per series (100,000 counter series carried a histogram's seven unused
 * fields, ~110 bytes each: bench/heap-per-series.js). The aggregations' fields are declared
 * here, for their code; a field is there only on the series of the aggregation that sets it.
 */
export class Series {
  /** The instrument's tick when last recorded (see src/metrics/expiry.ts), or GONE. */
  seen = 0;
  private start: number;
  /** Sums and last values. */
  declare value: number;
  /** Last values: set once a value is recorded (a gauge with no value is not exported). */
  declare recorded: boolean;
  /** Histograms: count, sum, extremes and per-bucket counts. */
  declare count: number;
  declare sum: number;
  declare min: number;
  declare max: number;
  declare readonly buckets: Float64Array | undefined;
  /** Histograms: per-bucket exemplars, allocated on the first sampled observation. */
  declare exemplars: (Exemplar | undefined)[] | undefined;
  /** Histograms: per bucket, when to look for an exemplar again (coarse ms clock). */
  declare exemplarNext: Float64Array | undefined;

  constructor(
    readonly attributes: Attributes,
    readonly key: string,
    startTimeMs: number,
  ) {
    this.start = startTimeMs - TIME_BASE;
  }

  get startTimeMs(): number {
    return TIME_BASE + this.start;
  }
}
