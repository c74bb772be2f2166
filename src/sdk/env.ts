// Reading the OTEL_* / MONITORING_* environment the way the OTel SDKs do: empty means unset,
// lists are comma-separated and trimmed, booleans are "true"/"false" (case-insensitive).

export function envString(name: string): string | undefined {
  const v = process.env[name];
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

export function envList(name: string): string[] | undefined {
  const v = envString(name);
  if (v === undefined) return undefined;
  return v
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
}

export function envBool(name: string, fallback: boolean): boolean {
  const v = envString(name)?.toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return fallback;
}

export function envNumber(name: string, fallback: number): number {
  const v = envString(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

export type Signal = 'traces' | 'metrics' | 'logs';

/** Is an OTLP endpoint configured for this signal (generic or per-signal variable)? */
export function otlpConfigured(signal: Signal): boolean {
  return (
    envString('OTEL_EXPORTER_OTLP_ENDPOINT') !== undefined || envString(`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`) !== undefined
  );
}

/**
 * The exporters named for a signal. Unset means "otlp when an OTLP endpoint is configured,
 * otherwise none": with no collector, nothing is pushed and nothing retries on stderr.
 */
export function exportersFor(signal: Signal): string[] {
  const list = envList(`OTEL_${signal.toUpperCase()}_EXPORTER`);
  if (list === undefined) return otlpConfigured(signal) ? ['otlp'] : [];
  if (list.includes('none')) return [];
  return list;
}

export function otlpProtocol(signal: Signal): string {
  return (
    envString(`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_PROTOCOL`) ??
    envString('OTEL_EXPORTER_OTLP_PROTOCOL') ??
    'http/protobuf'
  ).toLowerCase();
}
