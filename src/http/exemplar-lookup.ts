import type { DataPoint, Histogram, MetricData } from '@opentelemetry/sdk-metrics';
import { sharedStore } from '../metrics/source.js';
import type { Exemplar } from '../metrics/series.js';
import { attributeKey } from '../metrics/attribute-key.js';

/** The facade's exemplars for a histogram data point, found by metric name and attribute set. */
export function exemplarsFor(metric: MetricData, point: DataPoint<Histogram>): (Exemplar | undefined)[] | undefined {
  const inst = sharedStore().exported(metric.descriptor.name);
  // Only series whose aggregation keeps exemplars have any.
  return inst?.byKey.get(attributeKey(point.attributes))?.exemplars;
}
