import type { Instrument } from '../store.js';
import { Series } from '../series.js';
import { DataPointType } from '../sdk-enums.js';
import type { Aggregation } from './types.js';
import { LAST, NO_BOUNDARIES, NUMBER_POINTS, SUMMED } from './number-points.js';
import { formatValue } from '../text-format.js';

/** A sum's series: one number. */
class SumSeries extends Series {
  override value = 0;
}

/** The hot path of both sums: one function, so every call site sees the same target. */
function add(_inst: Instrument, s: Series, value: number): void {
  s.value += value;
}

/**
 * OTel's sum aggregation. Monotonic (a counter's): a Prometheus counter, summed over the
 * attribute sets in the JSON summary, shown with its rate, and kept in the cluster's total after
 * its process exits. Non-monotonic (an up-down counter's): a Prometheus gauge, the last
 * series' value in the JSON summary, summed over the live processes only.
 */
function sum(monotonic: boolean): Aggregation<number> {
  return {
    ...NUMBER_POINTS,
    name: 'sum',
    dataPointType: DataPointType.SUM,
    isMonotonic: monotonic,
    instant: false,
    seriesType: monotonic ? 'counter' : 'updowncounter',
    summary: monotonic ? SUMMED : LAST,
    prometheusType: monotonic ? 'counter' : 'gauge',
    rated: monotonic,
    perWorker: false,
    keptAfterExit: monotonic,
    boundaries: () => NO_BOUNDARIES,
    create: (_inst, attributes, key, startTimeMs) => new SumSeries(attributes, key, startTimeMs),
    record: add,
    value: (_inst, s) => s.value,
    diff: (previous, current) => current - previous,
    seriesSamples: (family, labels, _inst, s) => family + '{' + labels + '} ' + formatValue(s.value) + '\n',
  };
}

export const MONOTONIC_SUM = sum(true);
export const NON_MONOTONIC_SUM = sum(false);
