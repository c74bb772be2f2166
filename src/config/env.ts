// Reading the OTEL_* / MONITORING_* environment the way the OTel SDKs do: empty means unset,
// lists are comma-separated and trimmed, booleans are "true"/"false" (case-insensitive).
// Only src/config/ reads the environment; everything else reads the resolved configuration.

export type Env = Readonly<Record<string, string | undefined>>;

export function envString(name: string, env: Env = process.env): string | undefined {
  const v = env[name];
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

export function envList(name: string, env: Env = process.env): string[] | undefined {
  const v = envString(name, env);
  if (v === undefined) return undefined;
  return v
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
}

export function envBool(name: string, fallback: boolean, env: Env = process.env): boolean {
  const v = envString(name, env)?.toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return fallback;
}

export function envNumber(name: string, fallback: number, env: Env = process.env): number {
  const v = envString(name, env);
  if (v === undefined) return fallback;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

export type Signal = 'traces' | 'metrics' | 'logs';

/** Is an OTLP endpoint configured for this signal (generic or per-signal variable)? */
export function otlpConfigured(signal: Signal, env: Env = process.env): boolean {
  return (
    envString('OTEL_EXPORTER_OTLP_ENDPOINT', env) !== undefined ||
    envString(`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`, env) !== undefined
  );
}

/**
 * The exporters named for a signal. Unset means "otlp when an OTLP endpoint is configured,
 * otherwise none": with no collector, nothing is pushed and nothing retries on stderr.
 */
export function exportersFor(signal: Signal, env: Env = process.env): string[] {
  const list = envList(`OTEL_${signal.toUpperCase()}_EXPORTER`, env);
  if (list === undefined) return otlpConfigured(signal, env) ? ['otlp'] : [];
  if (list.includes('none')) return [];
  return list;
}

export function otlpProtocol(signal: Signal, env: Env = process.env): string {
  return (
    envString(`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_PROTOCOL`, env) ??
    envString('OTEL_EXPORTER_OTLP_PROTOCOL', env) ??
    'http/protobuf'
  ).toLowerCase();
}

/**
 * Run `build` (constructing an OTel SDK part) with the OTEL_* variables hidden, when `hide`.
 * With a configuration file the OTEL_* environment must be ignored (OTel's configuration
 * specification), but the SDK's exporters, processors and providers merge it into whatever
 * options they are given (headers, sampler, limits, batch sizes) in their constructors, with no
 * option to skip it. Constructors are synchronous, so nothing else runs while it is hidden.
 */
export function withoutOtelEnv<T>(hide: boolean, build: () => T): T {
  if (!hide) return build();
  const saved: [string, string][] = [];
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('OTEL_') && k !== 'OTEL_CONFIG_FILE' && v !== undefined) {
      saved.push([k, v]);
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- hiding a variable is deleting it
      delete process.env[k];
    }
  }
  try {
    return build();
  } finally {
    for (const [k, v] of saved) process.env[k] = v;
  }
}
