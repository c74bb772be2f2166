import { Series } from '../series.js';
import { DataPointType } from '../sdk-enums.js';
import { PASSED_THROUGH } from './registry.js';
import type { Aggregation } from './types.js';

/**
 * A view's `drop`: the instrument's calls are accepted and forgotten. Its one series (a view
 * that drops also drops every attribute: src/metrics/view-facade.ts) never has a value, so the
 * producer exports nothing for it.
 */
export const DROP: Aggregation<number> = {
  ...(PASSED_THROUGH as unknown as Aggregation<number>),
  name: 'drop',
  dataPointType: DataPointType.GAUGE,
  isMonotonic: undefined,
  instant: true,
  boundaries: () => [],
  create: (_inst, attributes, key, startTimeMs) => new Series(attributes, key, startTimeMs),
  record: () => {},
  value: () => undefined,
  diff: (_previous, current) => current,
};
