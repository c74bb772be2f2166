import type { Attributes } from '@opentelemetry/api';
import type { DataPoint, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { shapeOf } from './aggregations/registry.js';
import type { PointValue, SeriesType } from './aggregations/types.js';

export interface HistogramSummary {
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
  avg: number | null;
}

export interface SeriesSummary {
  name: string;
  type: SeriesType;
  unit: string;
  scope: string;
  attributes: Attributes;
  value: number | HistogramSummary;
}

/**
 * The PySocketCommLib-compatible `GET /metrics` JSON: `counters`, `gauges` and `histograms`
 * keyed by metric name (counters summed and histograms merged over their attribute sets,
 * gauges and up-down counters the last series' value), plus `series` with every attribute set
 * for callers that need the breakdown.
 */
export interface MetricsSummary {
  counters: Record<string, number>;
  gauges: Record<string, number>;
  histograms: Record<string, HistogramSummary>;
  series: SeriesSummary[];
}

export function summarize(rm: ResourceMetrics): MetricsSummary {
  const out: MetricsSummary = { counters: {}, gauges: {}, histograms: {}, series: [] };
  for (const sm of rm.scopeMetrics) {
    for (const m of sm.metrics) {
      const shape = shapeOf(m);
      const rule = shape.summary;
      if (rule === undefined || shape.seriesType === undefined) continue;
      const { name, unit } = m.descriptor;
      const scope = sm.scope.name;
      const keyed = out[rule.key] as Record<string, unknown>;
      let folded = keyed[name] ?? rule.empty;
      for (const p of m.dataPoints as DataPoint<PointValue>[]) {
        const value = rule.entry(p.value);
        folded = rule.fold(folded, value);
        out.series.push({ name, type: shape.seriesType, unit, scope, attributes: p.attributes, value: value as SeriesSummary['value'] });
      }
      if (folded !== undefined) keyed[name] = folded;
    }
  }
  return out;
}
