import type { Exemplar } from './series.js';

// The small pieces of the Prometheus text format (0.0.4) and OpenMetrics 1.0 that both the
// exposition (src/metrics/exposition.ts) and each aggregation's sample lines need.

const NEEDS_ESCAPE = /[\\\n"]/;

export function escapeLabelValue(v: string): string {
  if (!NEEDS_ESCAPE.test(v)) return v;
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** An OpenMetrics exemplar after a sample (empty when there is none). */
export function exemplarSuffix(e: Exemplar | undefined): string {
  if (e === undefined) return '';
  return ` # {trace_id="${e.traceId}",span_id="${e.spanId}"} ${formatValue(e.value)} ${(e.timeMs / 1000).toFixed(3)}`;
}
