import { Series } from '../series.js';
import { DataPointType } from '../sdk-enums.js';
import type { Aggregation } from './types.js';
import { LAST, NO_BOUNDARIES, NUMBER_POINTS } from './number-points.js';
import { formatValue } from '../text-format.js';

/** A last value's series: the value, and whether there is one. */
class LastValueSeries extends Series {
  override value = 0;
  override recorded = false;
}

/**
 * OTel's last-value aggregation (a gauge's): a series reports nothing until it has a value;
 * its point describes the collection instant. Processes' values do not add up, so a cluster
 * shows one series per worker unless the gauge declares how to combine them.
 */
export const LAST_VALUE: Aggregation<number> = {
  ...NUMBER_POINTS,
  name: 'last_value',
  dataPointType: DataPointType.GAUGE,
  isMonotonic: undefined,
  instant: true,
  seriesType: 'gauge',
  summary: LAST,
  prometheusType: 'gauge',
  rated: false,
  perWorker: true,
  keptAfterExit: false,
  boundaries: () => NO_BOUNDARIES,
  create: (_inst, attributes, key, startTimeMs) => new LastValueSeries(attributes, key, startTimeMs),
  record(_inst, s, value) {
    s.value = value;
    s.recorded = true;
  },
  value: (_inst, s) => (s.recorded ? s.value : undefined),
  diff: (_previous, current) => current,
  seriesSamples: (family, labels, _inst, s) => (s.recorded ? family + '{' + labels + '} ' + formatValue(s.value) + '\n' : ''),
};
