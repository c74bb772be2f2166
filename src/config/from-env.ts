import { envBool, envList, envNumber, envString, exportersFor, otlpProtocol, type Env, type Signal } from './env.js';
import type { ExporterSpec, OtlpExporterSpec, OtlpProtocol, ProcessorSpec, ResolvedConfig, MetricReaderSpec } from './types.js';

// The configuration from the OTEL_* and MONITORING_* environment, exactly as the parts read it
// before the configuration was resolved in one place (docs/configuration.md#environment-variables).
// Where an OTel SDK package reads a variable itself (OTLP endpoints and headers, the sampler,
// span limits), the resolved value is left unset and the package keeps reading it.

export const DEFAULT_PORT = 9464;
export const DEFAULT_DETECTORS: readonly string[] = ['env', 'host', 'os', 'process', 'serviceinstance'];
export const DEFAULT_PROPAGATORS: readonly string[] = ['tracecontext', 'baggage'];
/** Spans / log records per export batch (src/sdk/start.ts says why not the SDK's 512). */
export const EXPORT_BATCH_SIZE = 128;

export function protocolOf(raw: string): { protocol: OtlpProtocol; unknownProtocol?: string } {
  if (raw === 'grpc' || raw === 'http/json' || raw === 'http/protobuf') return { protocol: raw };
  return { protocol: 'http/protobuf', unknownProtocol: raw };
}

/** The OTEL_EXPORTER_OTLP_* settings an OTLP exporter of `signal` reads (per-signal over generic). */
function otlpEnv(signal: Signal, env: Env): NonNullable<OtlpExporterSpec['fromEnv']> {
  const S = signal.toUpperCase();
  const pick = (what: string) => envString(`OTEL_EXPORTER_OTLP_${S}_${what}`, env) ?? envString(`OTEL_EXPORTER_OTLP_${what}`, env);
  const headers: Record<string, string> = {};
  for (const pair of (pick('HEADERS') ?? '').split(',')) {
    const i = pair.indexOf('=');
    if (i > 0) headers[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
  }
  const out: { endpoint?: string; headers?: Record<string, string>; timeout?: string; compression?: string } = {};
  const endpoint = pick('ENDPOINT');
  if (endpoint !== undefined) out.endpoint = endpoint;
  if (Object.keys(headers).length > 0) out.headers = headers;
  const timeout = pick('TIMEOUT');
  if (timeout !== undefined) out.timeout = timeout;
  const compression = pick('COMPRESSION');
  if (compression !== undefined) out.compression = compression;
  return out;
}

function exporterSpecs(signal: Signal, env: Env): ExporterSpec[] {
  const out: ExporterSpec[] = [];
  for (const name of exportersFor(signal, env)) {
    if (name === 'otlp') out.push({ kind: 'otlp', ...protocolOf(otlpProtocol(signal, env)), fromEnv: otlpEnv(signal, env) });
    else if (name === 'console') out.push({ kind: 'console' });
    // Served by pull on the monitoring server, always on.
    else if (name === 'prometheus' && signal === 'metrics') continue;
    else out.push({ kind: 'unsupported', name, where: `OTEL_${signal.toUpperCase()}_EXPORTER` });
  }
  return out;
}

function intEnv(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return def;
  const n = Number(raw);
  return Number.isInteger(n) && n >= min && n <= max ? n : def;
}

/** MONITORING_PORT, else OTEL_EXPORTER_PROMETHEUS_PORT, else 9464; a value that is no port is reported. */
export function portFromEnv(env: Env): { port: number; problem?: string } {
  for (const name of ['MONITORING_PORT', 'OTEL_EXPORTER_PROMETHEUS_PORT']) {
    const v = env[name]?.trim();
    if (v) {
      const n = Number(v);
      if (Number.isInteger(n) && n >= 0 && n < 65536) return { port: n };
      return { port: DEFAULT_PORT, problem: `${name}=${JSON.stringify(v)} is not a port number; using ${DEFAULT_PORT}` };
    }
  }
  return { port: DEFAULT_PORT };
}

export function corsFromEnv(env: Env): '*' | string[] | undefined {
  const v = env.MONITORING_CORS_ORIGINS?.trim();
  if (!v) return undefined;
  if (v === '*') return '*';
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** `service.name` in OTEL_RESOURCE_ATTRIBUTES (percent-decoded), for a process that runs no SDK. */
function serviceNameInAttributes(env: Env): { given: boolean; value?: string } {
  for (const pair of (env.OTEL_RESOURCE_ATTRIBUTES ?? '').split(',')) {
    const i = pair.indexOf('=');
    const key = (i < 0 ? pair : pair.slice(0, i)).trim();
    if (key !== 'service.name') continue;
    if (i < 0) return { given: true };
    const raw = pair.slice(i + 1).trim();
    try {
      return { given: true, value: decodeURIComponent(raw) || undefined };
    } catch {
      return { given: true, value: raw || undefined };
    }
  }
  return { given: false };
}

/** The MONITORING_* settings (also what fills in what a configuration file's section leaves out). */
export function monitoringFromEnv(env: Env): ResolvedConfig['monitoring'] {
  const { port, problem } = portFromEnv(env);
  const cors = corsFromEnv(env);
  const minReady = Number(envString('MONITORING_CLUSTER_MIN_READY', env));
  const ttl = envString('MONITORING_SERIES_TTL_MS', env);
  return {
    server: envBool('MONITORING_SERVER', true, env),
    host: envString('MONITORING_HOST', env) ?? envString('OTEL_EXPORTER_PROMETHEUS_HOST', env) ?? '0.0.0.0',
    port,
    ...(problem !== undefined ? { portProblem: problem } : {}),
    ...(env.MONITORING_AUTH_TOKEN ? { authToken: env.MONITORING_AUTH_TOKEN } : {}),
    ...(cors !== undefined ? { corsOrigins: cors } : {}),
    healthIntervalMs: envNumber('MONITORING_HEALTH_INTERVAL_MS', 10_000, env),
    shutdownDelayMs: envNumber('MONITORING_SHUTDOWN_DELAY_MS', 0, env),
    shutdownTimeoutMs: envNumber('MONITORING_SHUTDOWN_TIMEOUT_MS', 10_000, env),
    cluster: {
      enabled: envBool('MONITORING_CLUSTER', true, env),
      timeoutMs: envNumber('MONITORING_CLUSTER_TIMEOUT_MS', 750, env),
      ...(Number.isInteger(minReady) && minReady >= 0 ? { minReady } : {}),
    },
    ui: {
      enabled: envBool('MONITORING_UI', true, env),
      sampleMs: intEnv(env, 'MONITORING_UI_SAMPLE_MS', 10_000, 50, 3_600_000),
      historyPoints: intEnv(env, 'MONITORING_UI_HISTORY_POINTS', 90, 2, 10_000),
      historySeries: intEnv(env, 'MONITORING_UI_HISTORY_SERIES', 500, 0, 100_000),
      tracesPerSecond: envNumber('MONITORING_UI_TRACES_PER_SECOND', 10, env),
      recentSpans: envNumber('MONITORING_RECENT_SPANS', 2000, env),
      recentLogs: envNumber('MONITORING_RECENT_LOGS', 1000, env),
    },
    profiling: envBool('MONITORING_PROFILING', true, env),
    systemMetrics: envBool('MONITORING_SYSTEM_METRICS', true, env),
    networkMetrics: envBool('MONITORING_NETWORK_METRICS', false, env),
    exemplars: envBool('MONITORING_EXEMPLARS', true, env),
    logLevel: env.MONITORING_LOG_LEVEL ?? 'info',
    ...(ttl === undefined
      ? {}
      : Number.isFinite(Number(ttl)) && Number(ttl) >= 0
        ? { seriesTtlMs: Number(ttl) }
        : {
            seriesTtlProblem: `MONITORING_SERIES_TTL_MS=${JSON.stringify(ttl)} is not a number of milliseconds >= 0; series do not expire`,
          }),
  };
}

export function runtimeFromEnv(env: Env): ResolvedConfig['runtime'] {
  return {
    ...(env.pm_id !== undefined ? { pm2Id: env.pm_id } : {}),
    lambda: env.LAMBDA_TASK_ROOT !== undefined && env._HANDLER !== undefined,
  };
}

/** The whole configuration from the environment (no configuration file). */
export function resolveFromEnv(env: Env = process.env): ResolvedConfig {
  const serviceName = envString('OTEL_SERVICE_NAME', env);
  const inAttributes = serviceNameInAttributes(env);
  const intervalMs = envNumber('OTEL_METRIC_EXPORT_INTERVAL', 60000, env);
  const timeoutMs = Math.min(envNumber('OTEL_METRIC_EXPORT_TIMEOUT', 30000, env), intervalMs);
  const batch = (name: string) => ({ maxExportBatchSize: envNumber(name, EXPORT_BATCH_SIZE, env) });
  const processors = (signal: Signal, batchVar: string): ProcessorSpec[] =>
    exporterSpecs(signal, env).map((exporter) => ({ type: 'batch', exporter, batch: batch(batchVar) }));
  const readers: MetricReaderSpec[] = exporterSpecs('metrics', env).map((exporter) => ({ exporter, intervalMs, timeoutMs }));
  const origin = 'environment';
  return {
    source: { kind: 'environment' },
    origins: {
      sdk: origin,
      resource: origin,
      propagator: origin,
      tracer_provider: origin,
      meter_provider: origin,
      logger_provider: origin,
      instrumentation: origin,
      monitoring: origin,
    },
    sdkDisabled: envBool('OTEL_SDK_DISABLED', false, env),
    diagLevel: envString('OTEL_LOG_LEVEL', env)?.toUpperCase() ?? 'WARN',
    resource: {
      ...(serviceName !== undefined ? { serviceName } : {}),
      attributes: {},
      serviceNameGiven: serviceName !== undefined || inAttributes.given,
      ...(inAttributes.value !== undefined ? { serviceNameFromAttributes: inAttributes.value } : {}),
      detectors: envList('OTEL_NODE_RESOURCE_DETECTORS', env) ?? DEFAULT_DETECTORS,
      detectorsWhere: 'OTEL_NODE_RESOURCE_DETECTORS',
    },
    propagators: [...new Set(envList('OTEL_PROPAGATORS', env) ?? DEFAULT_PROPAGATORS)],
    propagatorsWhere: 'OTEL_PROPAGATORS',
    traces: { processors: processors('traces', 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE') },
    metrics: { readers, views: [] },
    logs: { processors: processors('logs', 'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE') },
    instrumentations: {
      ...(env.OTEL_NODE_ENABLED_INSTRUMENTATIONS !== undefined && envList('OTEL_NODE_ENABLED_INSTRUMENTATIONS', env) !== undefined
        ? { enabled: envList('OTEL_NODE_ENABLED_INSTRUMENTATIONS', env) }
        : {}),
      disabled: envList('OTEL_NODE_DISABLED_INSTRUMENTATIONS', env) ?? [],
      enabledWhere: 'OTEL_NODE_ENABLED_INSTRUMENTATIONS',
      disabledWhere: 'OTEL_NODE_DISABLED_INSTRUMENTATIONS',
      options: {},
    },
    monitoring: monitoringFromEnv(env),
    runtime: runtimeFromEnv(env),
    warnings: [],
  };
}
