import { getState } from '../state.js';
import { describe, invalidArgument } from '../util/report.js';
import type { GaugeAggregation } from './wire.js';

export type { GaugeAggregation } from './wire.js';

const VALID: readonly GaugeAggregation[] = ['worker', 'sum', 'min', 'max', 'last'];

/** The declarations of this process, sent with its metrics so the serving process applies them. */
export function gaugeAggregations(): Record<string, GaugeAggregation> {
  return getState().cluster.aggregations;
}

/**
 * How `/metrics` combines a gauge over cluster workers: `'worker'` (default, one series per
 * worker with a `worker` attribute), or one series with the `'sum'`, `'min'`, `'max'` or
 * `'last'` of the workers' values. Declare it in the workers (where the gauge is recorded).
 */
export function setClusterGaugeAggregation(metricName: string, aggregation: GaugeAggregation): void {
  if (typeof metricName !== 'string' || metricName.length === 0) {
    return invalidArgument(`setClusterGaugeAggregation: metricName must be a non-empty string, got ${describe(metricName)}`);
  }
  if (!VALID.includes(aggregation)) {
    return invalidArgument(
      `setClusterGaugeAggregation("${metricName}"): aggregation must be one of ${VALID.join(', ')}, got ${describe(aggregation)}`,
    );
  }
  gaugeAggregations()[metricName] = aggregation;
}
