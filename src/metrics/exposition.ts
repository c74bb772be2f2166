import type { Attributes } from '@opentelemetry/api';
import type { DataPoint, Histogram, MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { prometheusName, sanitizeLabelName, type PromType } from './names.js';
import { DataPointType } from './sdk-enums.js';
import type { Exemplar } from './store.js';
import { warnOnce } from '../util/report.js';

// Prometheus text exposition (0.0.4) and OpenMetrics 1.0, written here rather than with
// @opentelemetry/exporter-prometheus's serializer because that one adds no unit suffixes
// (the OTel compatibility spec asks for them), cannot write exemplars, and is slower on large
// scrapes (10k histogram series: 339 ms against prom-client's 132 ms, Node 20). Families with one name from several scopes are merged.

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

export interface ExpositionOptions {
  openMetrics?: boolean;
  /** Exemplars per histogram data point, looked up by the point's attributes (OpenMetrics only). */
  exemplars?: (metric: MetricData, point: DataPoint<Histogram>) => (Exemplar | undefined)[] | undefined;
  /** Resource attributes to emit as target_info (skipped when undefined or empty). */
  withTargetInfo?: boolean;
}

interface Family {
  name: string;
  type: PromType;
  help: string;
  /** The family's sample lines, appended as one string (cheaper than an array + join). */
  body: string;
}

const NEEDS_ESCAPE = /[\\\n"]/;

export function escapeLabelValue(v: string): string {
  if (!NEEDS_ESCAPE.test(v)) return v;
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

// Label names repeat across every series of a scrape: sanitize each distinct key once.
const labelNames = new Map<string, string>();
function labelName(k: string): string {
  let n = labelNames.get(k);
  if (n === undefined) {
    n = sanitizeLabelName(k);
    if (labelNames.size < 10_000) labelNames.set(k, n);
  }
  return n;
}

function labelString(attrs: Attributes, extra: string): string {
  let out = '';
  for (const k in attrs) {
    const v = attrs[k];
    if (v === undefined || v === null) continue;
    const s = typeof v === 'string' ? v : Array.isArray(v) ? JSON.stringify(v) : String(v);
    out += (out ? ',' : '') + labelName(k) + '="' + escapeLabelValue(s) + '"';
  }
  if (extra) out += (out ? ',' : '') + extra;
  return out;
}

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function promType(m: MetricData): PromType | undefined {
  switch (m.dataPointType) {
    case DataPointType.SUM:
      return m.isMonotonic ? 'counter' : 'gauge';
    case DataPointType.GAUGE:
      return 'gauge';
    case DataPointType.HISTOGRAM:
      return 'histogram';
    default:
      return undefined;
  }
}

function leLabels(boundaries: number[]): string[] {
  const out = boundaries.map(formatValue);
  out.push('+Inf');
  return out;
}

function exemplarSuffix(e: Exemplar | undefined): string {
  if (e === undefined) return '';
  return ` # {trace_id="${e.traceId}",span_id="${e.spanId}"} ${formatValue(e.value)} ${(e.timeMs / 1000).toFixed(3)}`;
}

/** Serialize collected metrics as Prometheus text (or OpenMetrics when asked). */
export function serializeMetrics(rm: ResourceMetrics, options: ExpositionOptions = {}): string {
  const open = options.openMetrics === true;
  const families = new Map<string, Family>();
  for (const sm of rm.scopeMetrics) {
    let scopeLabels = 'otel_scope_name="' + escapeLabelValue(sm.scope.name) + '"';
    if (sm.scope.version) scopeLabels += ',otel_scope_version="' + escapeLabelValue(sm.scope.version) + '"';
    for (const m of sm.metrics) {
      const type = promType(m);
      if (type === undefined || m.dataPoints.length === 0) continue;
      const name = prometheusName(m.descriptor.name, m.descriptor.unit, type);
      let fam = families.get(name);
      if (fam === undefined) {
        fam = { name, type, help: m.descriptor.description || m.descriptor.name, body: '' };
        families.set(name, fam);
      } else if (fam.type !== type) {
        warnOnce(`metric "${m.descriptor.name}" maps to Prometheus name ${name} already used by a ${fam.type}; skipped`);
        continue;
      }
      if (type === 'histogram') {
        let les: string[] | undefined;
        for (const p of m.dataPoints as DataPoint<Histogram>[]) {
          const labels = labelString(p.attributes, scopeLabels);
          const { boundaries, counts } = p.value.buckets;
          // One formatted `le` list per metric: every point of a metric shares its boundaries.
          if (les === undefined || les.length !== boundaries.length + 1) les = leLabels(boundaries);
          const ex = open && options.exemplars ? options.exemplars(m, p) : undefined;
          const prefix = name + '_bucket{' + labels + (labels ? ',le="' : 'le="');
          let body = '';
          let cum = 0;
          for (let i = 0; i <= boundaries.length; i++) {
            cum += counts[i] ?? 0;
            body += prefix + les[i] + '"} ' + cum + (ex ? exemplarSuffix(ex[i]) : '') + '\n';
          }
          body += name + '_sum{' + labels + '} ' + formatValue(p.value.sum ?? 0) + '\n';
          body += name + '_count{' + labels + '} ' + p.value.count + '\n';
          fam.body += body;
        }
      } else {
        let body = '';
        for (const p of m.dataPoints as DataPoint<number>[]) {
          body += name + '{' + labelString(p.attributes, scopeLabels) + '} ' + formatValue(p.value) + '\n';
        }
        fam.body += body;
      }
    }
  }
  let out = '';
  if (options.withTargetInfo !== false) {
    const attrs = rm.resource?.attributes ?? {};
    if (Object.keys(attrs).length > 0) {
      out += open ? '# TYPE target info\n# HELP target Target metadata\n' : '# HELP target_info Target metadata\n# TYPE target_info gauge\n';
      out += `target_info{${labelString(attrs, '')}} 1\n`;
    }
  }
  for (const fam of families.values()) {
    // OpenMetrics names a counter family without its _total suffix; samples keep it.
    const famName = open && fam.type === 'counter' ? fam.name.slice(0, -'_total'.length) : fam.name;
    out += `# HELP ${famName} ${escapeHelp(fam.help)}\n# TYPE ${famName} ${fam.type}\n`;
    out += fam.body;
  }
  if (open) out += '# EOF\n';
  return out;
}
