import type { MetricData } from '@opentelemetry/sdk-metrics';
import { DataPointType } from '../sdk-enums.js';
import type { MetricShape } from './types.js';
import { MONOTONIC_SUM, NON_MONOTONIC_SUM } from './sum.js';
import { LAST_VALUE } from './last-value.js';
import { EXPLICIT_BUCKET_HISTOGRAM } from './explicit-bucket-histogram.js';

export { MONOTONIC_SUM, NON_MONOTONIC_SUM, LAST_VALUE, EXPLICIT_BUCKET_HISTOGRAM };

/**
 * Data the package does not aggregate itself (an SDK exponential histogram): neither summarised
 * nor exposed, passed between cluster processes as JSON, one series per worker.
 */
export const PASSED_THROUGH: MetricShape<object> = {
  name: 'passed_through',
  seriesType: undefined,
  summary: undefined,
  prometheusType: undefined,
  exemplars: false,
  samples: () => '',
  scalar: (value) => (value as { count?: number }).count ?? NaN,
  rated: false,
  perWorker: true,
  keptAfterExit: false,
  copy: (value) => value,
  combine: (a) => a,
  encode(value, before, row) {
    const json = JSON.stringify(value);
    if (before === json) return undefined;
    row.push(JSON.parse(json) as object);
    return json;
  },
  decode: (row, at) => row[at.i++] as object,
};

/** The shape of collected data, the SDK's or the facade's: the one place a data point type is told apart. */
export function shapeOf(metric: { dataPointType: MetricData['dataPointType']; isMonotonic?: boolean | null }): MetricShape {
  switch (metric.dataPointType) {
    case DataPointType.SUM:
      return metric.isMonotonic === true ? MONOTONIC_SUM : NON_MONOTONIC_SUM;
    case DataPointType.GAUGE:
      return LAST_VALUE;
    case DataPointType.HISTOGRAM:
      return EXPLICIT_BUCKET_HISTOGRAM;
    default:
      return PASSED_THROUGH;
  }
}
