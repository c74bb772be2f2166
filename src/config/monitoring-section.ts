import { ConfigFileError } from './file.js';
import { MONITORING_KEY, type ResolvedConfig } from './types.js';

// `distribution.socketcomm_monitoring` of the configuration file: the schema leaves a
// distribution's section open (any object), so this package checks its own keys here. Each
// key has its type and bounds; a wrong value makes the file invalid like a schema error does,
// an unknown key is one warning.

type Monitoring = ResolvedConfig['monitoring'];
type Kind = 'boolean' | 'string' | 'port' | 'ms' | 'count' | 'origins';

interface Field {
  kind: Kind;
  set(m: Mutable, v: unknown): void;
}
type Mutable = {
  -readonly [K in keyof Monitoring]: Monitoring[K] extends object
    ? { -readonly [J in keyof Monitoring[K]]: Monitoring[K][J] }
    : Monitoring[K];
};

const FIELDS: Record<string, Record<string, Field> | Field> = {
  server: {
    enabled: { kind: 'boolean', set: (m, v) => (m.server = v as boolean) },
    host: { kind: 'string', set: (m, v) => (m.host = v as string) },
    port: { kind: 'port', set: (m, v) => (m.port = v as number) },
    auth_token: { kind: 'string', set: (m, v) => (m.authToken = v as string) },
    cors_origins: { kind: 'origins', set: (m, v) => (m.corsOrigins = v as '*' | string[]) },
  },
  health_interval_ms: { kind: 'ms', set: (m, v) => (m.healthIntervalMs = v as number) },
  shutdown: {
    delay_ms: { kind: 'ms', set: (m, v) => (m.shutdownDelayMs = v as number) },
    timeout_ms: { kind: 'ms', set: (m, v) => (m.shutdownTimeoutMs = v as number) },
  },
  cluster: {
    enabled: { kind: 'boolean', set: (m, v) => (m.cluster.enabled = v as boolean) },
    timeout_ms: { kind: 'ms', set: (m, v) => (m.cluster.timeoutMs = v as number) },
    min_ready: { kind: 'count', set: (m, v) => (m.cluster.minReady = v as number) },
  },
  ui: {
    enabled: { kind: 'boolean', set: (m, v) => (m.ui.enabled = v as boolean) },
    sample_ms: { kind: 'ms', set: (m, v) => (m.ui.sampleMs = Math.min(Math.max(v as number, 50), 3_600_000)) },
    history_points: { kind: 'count', set: (m, v) => (m.ui.historyPoints = Math.min(Math.max(v as number, 2), 10_000)) },
    history_series: { kind: 'count', set: (m, v) => (m.ui.historySeries = Math.min(v as number, 100_000)) },
    traces_per_second: { kind: 'count', set: (m, v) => (m.ui.tracesPerSecond = v as number) },
    recent_spans: { kind: 'count', set: (m, v) => (m.ui.recentSpans = v as number) },
    recent_logs: { kind: 'count', set: (m, v) => (m.ui.recentLogs = v as number) },
  },
  profiling: { kind: 'boolean', set: (m, v) => (m.profiling = v as boolean) },
  system_metrics: { kind: 'boolean', set: (m, v) => (m.systemMetrics = v as boolean) },
  network_metrics: { kind: 'boolean', set: (m, v) => (m.networkMetrics = v as boolean) },
  exemplars: { kind: 'boolean', set: (m, v) => (m.exemplars = v as boolean) },
  log_level: { kind: 'string', set: (m, v) => (m.logLevel = v as string) },
  series_ttl_ms: {
    kind: 'ms',
    set: (m, v) => {
      m.seriesTtlMs = v as number;
      delete m.seriesTtlProblem;
    },
  },
};

const EXPECTED: Record<Kind, string> = {
  boolean: 'true or false',
  string: 'a string',
  port: 'an integer 0..65535',
  ms: 'a number of milliseconds >= 0',
  count: 'an integer >= 0',
  origins: '"*" or a list of origins',
};

function valid(kind: Kind, v: unknown): boolean {
  switch (kind) {
    case 'boolean':
      return typeof v === 'boolean';
    case 'string':
      return typeof v === 'string';
    case 'port':
      return Number.isInteger(v) && (v as number) >= 0 && (v as number) < 65536;
    case 'ms':
      return typeof v === 'number' && Number.isFinite(v) && v >= 0;
    case 'count':
      return Number.isInteger(v) && (v as number) >= 0;
    case 'origins':
      return v === '*' || (Array.isArray(v) && v.every((o) => typeof o === 'string'));
  }
}

const isField = (f: Record<string, Field> | Field): f is Field => typeof (f as Field).kind === 'string';

/**
 * The monitoring settings: the file's section over `fromEnv` (MONITORING_* and defaults); the
 * pull Prometheus reader's host and port when the section names none. Throws ConfigFileError.
 */
export function monitoringSection(
  file: string,
  section: unknown,
  fromEnv: Monitoring,
  pull: { host?: string; port?: number },
  warnings: string[],
): Monitoring {
  const m = structuredClone(fromEnv) as Mutable;
  if (pull.host !== undefined) m.host = pull.host;
  if (pull.port !== undefined) {
    m.port = pull.port;
    delete m.portProblem;
  }
  const base = `distribution.${MONITORING_KEY}`;
  if (section === undefined || section === null) return m as Monitoring;
  const walk = (obj: unknown, fields: Record<string, Record<string, Field> | Field>, path: string): void => {
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      throw new ConfigFileError(file, path, `expected a mapping, got ${Array.isArray(obj) ? 'a list' : JSON.stringify(obj)}`);
    }
    for (const [k, v] of Object.entries(obj)) {
      const f = fields[k];
      const at = `${path}.${k}`;
      if (!f) {
        warnings.push(`${file}: ${at}: unknown key; ignored (known: ${Object.keys(fields).join(', ')})`);
        continue;
      }
      if (v === null) continue;
      if (!isField(f)) walk(v, f, at);
      else if (!valid(f.kind, v)) throw new ConfigFileError(file, at, `expected ${EXPECTED[f.kind]}, got ${JSON.stringify(v)}`);
      else {
        f.set(m, v);
        if (k === 'port') delete m.portProblem;
      }
    }
  };
  walk(section, FIELDS, base);
  return m as Monitoring;
}
