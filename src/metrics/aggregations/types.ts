import type { Attributes } from '@opentelemetry/api';
import type { DataPointType, Histogram } from '@opentelemetry/sdk-metrics';
import type { WireValue } from '../../cluster/wire.js';
import type { PromType } from '../names.js';
import type { Instrument } from '../store.js';
import type { Exemplar, Series } from '../series.js';

// How series are kept and exported, apart from what the API records (src/metrics/kinds/):
// the split OTel's sdk-metrics makes between an instrument and its Aggregator. A kind has a
// default aggregation; a view may give an instrument another one when it is created.
//
// Two interfaces: `MetricShape` is what every consumer of collected data (JSON summary,
// Prometheus text, status page, cluster wire and merge) needs to know about one kind of data
// point, for the OTel SDK's own instruments as much as for the facade's; `Aggregation` adds
// the facade's storage (a Series per attribute set) and its data points.

/**
 * A data point's value: a number (sums, last values), an explicit-bucket histogram, or an
 * object the package passes through without aggregating it (e.g. an SDK exponential histogram).
 */
export type PointValue = number | Histogram | object;

/** The type a series shows in the JSON summary and on the status page. */
export type SeriesType = 'counter' | 'updowncounter' | 'gauge' | 'histogram';

/** How one metric adds to the JSON summary's keyed part (`counters`, `gauges`, `histograms`). */
export interface SummaryRule<P, E> {
  readonly key: 'counters' | 'gauges' | 'histograms';
  /** The keyed value of a metric with no series yet (a declared counter shows 0), if any. */
  readonly empty: E | undefined;
  /** A point's value as the summary's `series` list shows it. */
  entry(value: P): E;
  /** The keyed value after one more point. */
  fold(previous: E | undefined, entry: E): E;
}

/** A histogram's figures for the status page. */
export interface DistributionFields {
  sum: number;
  min: number | null;
  max: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** What a point last sent over the cluster wire looked like (compared with the next one). */
export type WireSent = number | number[] | string;

/** The encoder's interning of histogram boundaries. */
export interface WireTables {
  boundsId(boundaries: number[]): number;
}

/** Where decoding stands in a payload row. */
export interface WireCursor {
  i: number;
}

/** How values combine across processes: added, or (gauges, when declared) their min or max. */
export type CombineRule = 'sum' | 'min' | 'max';

export interface MetricShape<P extends PointValue = PointValue> {
  /** OTel's name for the aggregation (`sum`, `last_value`, `explicit_bucket_histogram`). */
  readonly name: string;

  /** Its type in the JSON summary and on the status page; undefined: neither shows it. */
  readonly seriesType: SeriesType | undefined;
  readonly summary: SummaryRule<P, unknown> | undefined;

  /** Its Prometheus / OpenMetrics family type; undefined: not exposed. */
  readonly prometheusType: PromType | undefined;
  /** True when its samples carry an exemplar per bucket (OpenMetrics). */
  readonly exemplars: boolean;
  /** One point's sample lines. `labels`: the point's label pairs, without braces. */
  samples(family: string, labels: string, value: P, exemplars: readonly (Exemplar | undefined)[] | undefined): string;

  /** The one number the status page's history keeps per sample (a histogram's count). */
  scalar(value: P): number;
  /** True when the value only grows: the status page shows its rate per second. */
  readonly rated: boolean;
  /** A histogram's sum, extremes and percentiles for the status page. */
  distribution?(value: P): DistributionFields;

  /** True when processes' values do not add up (gauges): one series per worker unless declared otherwise. */
  readonly perWorker: boolean;
  /** True when a departed process's last values stay in the cluster's sum (monotonic data). */
  readonly keptAfterExit: boolean;
  /** A copy the cluster merge may change (numbers are themselves). */
  copy(value: P): P;
  /** `a` and `b` combined (`a` may be changed: it is a copy); undefined when they cannot be combined exactly. */
  combine(a: P, b: P, rule: CombineRule): P | undefined;
  /**
   * Appends `value` to a wire row unless it equals `before` (what was last sent); returns what
   * is now sent, or undefined when nothing was appended.
   */
  encode(value: P, before: WireSent | undefined, row: WireValue[], tables: WireTables): WireSent | undefined;
  /** Reads one value at `at.i` and moves past it; undefined when the row is malformed. */
  decode(row: readonly WireValue[], at: WireCursor, bounds: readonly (number[] | undefined)[]): P | undefined;
}

/** An aggregation the facade's series store keeps. */
export interface Aggregation<P extends PointValue = PointValue> extends MetricShape<P> {
  readonly dataPointType: DataPointType;
  /** SUM data only: whether the sum never goes down. */
  readonly isMonotonic: boolean | undefined;
  /** True when a point describes one instant (start = end = collection time) and has no delta. */
  readonly instant: boolean;
  /** The instrument's bucket boundaries ([] for aggregations without buckets). */
  boundaries(buckets: number[] | undefined, unit: string): number[];
  /** A new series' storage. */
  create(inst: Instrument, attributes: Attributes, key: string, startTimeMs: number): Series;
  /** The hot path: `value` is already validated by the instrument's kind. Called detached. */
  readonly record: (inst: Instrument, s: Series, value: number) => void;
  /** The series' cumulative value; undefined when it has none to report (a gauge never set). */
  value(inst: Instrument, s: Series): P | undefined;
  /** What was recorded between two cumulative values (delta temporality). */
  diff(previous: P, current: P): P;
  /**
   * The series' sample lines written from the series itself, the same text as
   * `samples(family, labels, value(inst, s), exemplars)` ('' when it has no value): a scrape
   * then builds no data point per series.
   */
  readonly seriesSamples?: (
    family: string,
    labels: string,
    inst: Instrument,
    s: Series,
    exemplars: readonly (Exemplar | undefined)[] | undefined,
  ) => string;
}
