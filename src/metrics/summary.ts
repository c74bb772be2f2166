import type { Attributes } from '@opentelemetry/api';
import type { DataPoint, Histogram, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { DataPointType } from './sdk-enums.js';

export interface HistogramSummary {
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
  avg: number | null;
}

export interface SeriesSummary {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'updowncounter';
  unit: string;
  scope: string;
  attributes: Attributes;
  value: number | HistogramSummary;
}

/**
 * The PySocketCommLib-compatible `GET /metrics` JSON: `counters`, `gauges` and `histograms` keyed by metric name
 * (counters summed and histograms merged over their attribute sets, gauges the last series'
 * value), plus `series` with every attribute set for callers that need the breakdown.
 */
export interface MetricsSummary {
  counters: Record<string, number>;
  gauges: Record<string, number>;
  histograms: Record<string, HistogramSummary>;
  series: SeriesSummary[];
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

function merge(a: HistogramSummary, b: HistogramSummary): HistogramSummary {
  const count = a.count + b.count;
  const sum = a.sum + b.sum;
  const pick = (x: number | null, y: number | null, f: (p: number, q: number) => number) =>
    x === null ? y : y === null ? x : f(x, y);
  return { count, sum, min: pick(a.min, b.min, Math.min), max: pick(a.max, b.max, Math.max), avg: count > 0 ? sum / count : null };
}

export function summarize(rm: ResourceMetrics): MetricsSummary {
  const out: MetricsSummary = { counters: {}, gauges: {}, histograms: {}, series: [] };
  for (const sm of rm.scopeMetrics) {
    for (const m of sm.metrics) {
      const { name, unit } = m.descriptor;
      const scope = sm.scope.name;
      if (m.dataPointType === DataPointType.SUM && m.isMonotonic) {
        let total = out.counters[name] ?? 0;
        for (const p of m.dataPoints) {
          total += p.value;
          out.series.push({ name, type: 'counter', unit, scope, attributes: p.attributes, value: p.value });
        }
        out.counters[name] = total;
      } else if (m.dataPointType === DataPointType.SUM || m.dataPointType === DataPointType.GAUGE) {
        const type = m.dataPointType === DataPointType.SUM ? 'updowncounter' : 'gauge';
        for (const p of m.dataPoints) {
          out.gauges[name] = p.value;
          out.series.push({ name, type, unit, scope, attributes: p.attributes, value: p.value });
        }
      } else if (m.dataPointType === DataPointType.HISTOGRAM) {
        for (const p of m.dataPoints as DataPoint<Histogram>[]) {
          const h = histogramOf(p.value);
          const prev = out.histograms[name];
          out.histograms[name] = prev ? merge(prev, h) : h;
          out.series.push({ name, type: 'histogram', unit, scope, attributes: p.attributes, value: h });
        }
      }
    }
  }
  return out;
}
