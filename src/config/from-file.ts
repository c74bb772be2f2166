import type {
  ConfigurationModel,
  SamplerConfigModel,
  SpanExporterConfigModel,
  PushMetricExporterConfigModel,
  LogRecordExporterConfigModel,
  OtlpHttpMetricExporterConfigModel,
} from '@opentelemetry/configuration';
import { monitoringFromEnv, runtimeFromEnv, EXPORT_BATCH_SIZE } from './from-env.js';
import { ConfigFileError } from './file.js';
import { viewSpecs } from './views.js';
import { monitoringSection } from './monitoring-section.js';
import type { Env } from './env.js';
import type {
  ExporterSpec,
  MetricReaderSpec,
  ProcessorSpec,
  ResolvedConfig,
  SamplerSpec,
  SpanLimitsSpec,
  ExemplarFilter,
  PrometheusNaming,
} from './types.js';
import { MONITORING_KEY } from './types.js';

// The validated configuration file into the resolved configuration. The schema has already
// said the file is well-formed; what is left is what this distribution does with it: the parts
// it implements are mapped, every other key gets one warning with its path. The
// opentelemetry-configuration schema has no notion of what a given SDK implements, hence the
// hand-written list of supported keys here.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * The Prometheus pull exporter's naming options; undefined when all are the defaults. The two
 * UTF-8 translation strategies need quoted metric names (Prometheus 3 with UTF-8 names allowed);
 * `/metrics` keeps the escaped names the Prometheus text formats have always had, with a warning.
 */
function prometheusNaming(r: Reader, b: Obj, at: string): PrometheusNaming | undefined {
  const strategy = typeof b.translation_strategy === 'string' ? b.translation_strategy : 'underscore_escaping_with_suffixes';
  let suffixes = true;
  if (strategy === 'underscore_escaping_without_suffixes/development') suffixes = false;
  else if (strategy !== 'underscore_escaping_with_suffixes') {
    r.unsupported(`${at}.translation_strategy`, `${strategy} is not supported (names stay underscore-escaped, with suffixes); ignored`);
  }
  const rl = isObj(b.resource_constant_labels) ? b.resource_constant_labels : undefined;
  const list = (v: unknown) => (Array.isArray(v) ? Object.freeze(v.filter((x): x is string => typeof x === 'string')) : undefined);
  const included = list(rl?.included);
  const excluded = list(rl?.excluded);
  const naming: PrometheusNaming = {
    suffixes,
    scopeLabels: b.scope_info_enabled !== false,
    targetInfo: b['target_info_enabled/development'] !== false,
    ...(rl ? { resourceLabels: Object.freeze({ ...(included ? { included } : {}), ...(excluded ? { excluded } : {}) }) } : {}),
  };
  const isDefault = naming.suffixes && naming.scopeLabels && naming.targetInfo && !rl;
  return isDefault ? undefined : Object.freeze(naming);
}

/** A reader's `cardinality_limits` (per instrument kind, and `default`), the numbers only. */
function cardinalityLimits(v: unknown): Readonly<Record<string, number>> | undefined {
  if (!isObj(v)) return undefined;
  return Object.freeze(Object.fromEntries(Object.entries(v).filter(([, n]) => num(n) !== undefined)) as Record<string, number>);
}

class Reader {
  readonly warnings: string[] = [];
  constructor(readonly file: string) {}
  unsupported(path: string, why = 'not supported by @socketcomm/monitoring; ignored'): void {
    this.warnings.push(`${this.file}: ${path}: ${why}`);
  }
  /** One warning per key of `obj` not in `known` (a null value is an unset key, as the schema says). */
  only(obj: unknown, path: string, known: readonly string[]): void {
    if (!isObj(obj)) return;
    for (const [k, v] of Object.entries(obj)) if (v !== null && !known.includes(k)) this.unsupported(path ? `${path}.${k}` : k);
  }
}

interface Merge {
  mergeHeadersConfig(headers?: unknown, list?: string | null): Record<string, string> | undefined;
  mergeResourceAttributesConfig(attributes?: unknown, list?: string | null): { name: string; value: unknown }[] | undefined;
  mergePropagatorCompositeConfig(composite?: unknown, list?: string | null): Obj[] | undefined;
}
// This module runs only as the CommonJS build's copy (src/config/require.ts).
declare const require: (id: string) => unknown;
const merge = (): Merge => require('@opentelemetry/configuration/build/src/FileConfigFactory') as Merge;

const DEFAULT_HTTP_ENDPOINT = 'http://localhost:4318';
const DEFAULT_GRPC_ENDPOINT = 'http://localhost:4317';
const SIGNAL_PATH = { traces: '/v1/traces', metrics: '/v1/metrics', logs: '/v1/logs' } as const;

function exporter(
  r: Reader,
  e: SpanExporterConfigModel | PushMetricExporterConfigModel | LogRecordExporterConfigModel,
  path: string,
  signal: keyof typeof SIGNAL_PATH,
): ExporterSpec | undefined {
  const [name, raw] = Object.entries(e)[0] ?? [];
  if (name === undefined) return undefined;
  const o = (isObj(raw) ? raw : {}) as OtlpHttpMetricExporterConfigModel & { insecure?: boolean | null; encoding?: string | null };
  if (name === 'console') {
    r.only(raw, `${path}.console`, signal === 'metrics' ? ['temporality_preference'] : []);
    return { kind: 'console' };
  }
  if (name !== 'otlp_http' && name !== 'otlp_grpc') {
    r.unsupported(`${path}.${name}`, 'exporter not supported by @socketcomm/monitoring (otlp_http, otlp_grpc, console); ignored');
    return undefined;
  }
  const known = ['endpoint', 'headers', 'headers_list', 'compression', 'timeout', 'tls'];
  if (name === 'otlp_http') known.push('encoding');
  if (signal === 'metrics') known.push('temporality_preference');
  // Explicit buckets are what this package's histograms are; only the other choice is unsupported.
  if (o.default_histogram_aggregation === 'explicit_bucket_histogram') known.push('default_histogram_aggregation');
  r.only(raw, `${path}.${name}`, known);
  const tls = (o as { tls?: Obj }).tls;
  if (isObj(tls)) r.only(tls, `${path}.${name}.tls`, name === 'otlp_grpc' ? ['insecure'] : []);
  const grpc = name === 'otlp_grpc';
  const headers = merge().mergeHeadersConfig(o.headers, o.headers_list);
  const compression = o.compression === 'gzip' ? 'gzip' : o.compression === 'none' ? 'none' : undefined;
  if (typeof o.compression === 'string' && compression === undefined) {
    r.unsupported(`${path}.${name}.compression`, `"${o.compression}" is not supported (gzip, none); using none`);
  }
  const insecure = grpc && isObj(tls) && typeof tls.insecure === 'boolean' ? tls.insecure : undefined;
  return {
    kind: 'otlp',
    protocol: grpc ? 'grpc' : o.encoding === 'json' ? 'http/json' : 'http/protobuf',
    endpoint: typeof o.endpoint === 'string' ? o.endpoint : grpc ? DEFAULT_GRPC_ENDPOINT : DEFAULT_HTTP_ENDPOINT + SIGNAL_PATH[signal],
    headers: Object.freeze({ ...headers }),
    compression: compression ?? 'none',
    timeoutMs: num(o.timeout) ?? 10_000,
    ...(signal === 'metrics' && typeof o.temporality_preference === 'string' ? { temporality: o.temporality_preference } : {}),
    ...(insecure !== undefined ? { insecure } : {}),
  };
}

function processors(r: Reader, list: readonly Obj[] | undefined, path: string, signal: 'traces' | 'logs'): ProcessorSpec[] {
  const out: ProcessorSpec[] = [];
  (list ?? []).forEach((p, i) => {
    const [type, body] = Object.entries(p)[0] ?? [];
    const at = `${path}[${i}].${type}`;
    if (type !== 'batch' && type !== 'simple') {
      r.unsupported(at, 'processor not supported by @socketcomm/monitoring (batch, simple); ignored');
      return;
    }
    const b = body as Obj;
    r.only(
      b,
      at,
      type === 'batch' ? ['exporter', 'schedule_delay', 'export_timeout', 'max_queue_size', 'max_export_batch_size'] : ['exporter'],
    );
    const exp = exporter(r, b.exporter as SpanExporterConfigModel, `${at}.exporter`, signal);
    if (!exp) return;
    out.push({
      type,
      exporter: exp,
      ...(type === 'batch'
        ? {
            // The spec's defaults, given explicitly: the SDK would otherwise read OTEL_BSP_* / OTEL_BLRP_*.
            batch: {
              scheduleDelayMs: num(b.schedule_delay) ?? (signal === 'traces' ? 5000 : 1000),
              exportTimeoutMs: num(b.export_timeout) ?? 30_000,
              maxQueueSize: num(b.max_queue_size) ?? 2048,
              maxExportBatchSize: num(b.max_export_batch_size) ?? EXPORT_BATCH_SIZE,
            },
          }
        : {}),
    });
  });
  return out;
}

function sampler(r: Reader, s: SamplerConfigModel | undefined, path: string): SamplerSpec | undefined {
  if (!s) return undefined;
  const [name, body] = Object.entries(s)[0] ?? [];
  const at = `${path}.${name}`;
  switch (name) {
    case 'always_on':
      return { type: 'always_on' };
    case 'always_off':
      return { type: 'always_off' };
    case 'trace_id_ratio_based':
      r.only(body, at, ['ratio']);
      return { type: 'trace_id_ratio_based', ratio: num((body as Obj | null)?.ratio) ?? 1 };
    case 'parent_based': {
      const b = (body ?? {}) as Obj;
      const part = (k: string) => sampler(r, b[k] as SamplerConfigModel | undefined, `${at}.${k}`);
      const opt = (k: string, key: string) => {
        const v = part(k);
        return v ? { [key]: v } : {};
      };
      return {
        type: 'parent_based',
        root: part('root') ?? { type: 'always_on' },
        ...opt('remote_parent_sampled', 'remoteParentSampled'),
        ...opt('remote_parent_not_sampled', 'remoteParentNotSampled'),
        ...opt('local_parent_sampled', 'localParentSampled'),
        ...opt('local_parent_not_sampled', 'localParentNotSampled'),
      };
    }
    default:
      r.unsupported(at, 'sampler not supported by @socketcomm/monitoring; using parent_based(always_on)');
      return { type: 'parent_based', root: { type: 'always_on' } };
  }
}

function spanLimits(l: Obj | undefined, general: Obj | undefined): SpanLimitsSpec | undefined {
  if (!l && !general) return undefined;
  const pick = (k: string) => num(l?.[k]) ?? num(general?.[k]);
  const out: Record<string, number> = {};
  const set = (key: keyof SpanLimitsSpec, v: number | undefined) => v !== undefined && (out[key] = v);
  set('attributeCountLimit', pick('attribute_count_limit'));
  set('attributeValueLengthLimit', pick('attribute_value_length_limit'));
  set('eventCountLimit', num(l?.event_count_limit));
  set('linkCountLimit', num(l?.link_count_limit));
  set('attributePerEventCountLimit', num(l?.event_attribute_count_limit));
  set('attributePerLinkCountLimit', num(l?.link_attribute_count_limit));
  return out;
}

/** The file's severity names (trace, debug2, warn4, …) as the OTel diag logger's levels. */
function diagLevel(level: string | null | undefined): string {
  if (!level) return 'WARN';
  const base = level.replace(/\d$/, '');
  return (
    ({ trace: 'VERBOSE', debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR', fatal: 'ERROR' } as Record<string, string>)[base] ??
    'WARN'
  );
}

/** The resource detectors of the file's `detection/development` under src/sdk/resource.ts's names. */
const FILE_DETECTORS: Record<string, readonly string[]> = {
  container: ['container'],
  // OTel JS splits the spec's host detector (host.*, os.*) in two.
  host: ['host', 'os'],
  process: ['process'],
  service: ['serviceinstance'],
};

function attributesOf(list: readonly { name: string; value: unknown }[] | undefined): ResolvedConfig['resource']['attributes'] {
  const out: Record<string, ResolvedConfig['resource']['attributes'][string]> = {};
  for (const a of list ?? []) {
    if (a.value === null || a.value === undefined) continue;
    out[a.name] = Array.isArray(a.value) ? Object.freeze([...(a.value as string[])]) : (a.value as string | number | boolean);
  }
  return out;
}

/** With a configuration file, only the MONITORING_* part of the environment is read (OTEL_* are the file's). */
function monitoringEnv(env: Env): Env {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) if (k.startsWith('MONITORING_')) out[k] = v;
  return out;
}

function instrumentations(r: Reader, section: unknown, file: string): ResolvedConfig['instrumentations'] {
  const where = `${file}: instrumentation/development.js`;
  const base = { disabled: [] as string[], enabledWhere: where, disabledWhere: where, options: {} as Record<string, Readonly<Obj>> };
  if (!isObj(section)) return base;
  if (section.general !== undefined) r.unsupported('instrumentation/development.general');
  const js = section.js;
  if (!isObj(js)) return base;
  const enabled: string[] = [];
  for (const [name, opts] of Object.entries(js)) {
    const { enabled: on, ...rest } = (isObj(opts) ? opts : {}) as Obj & { enabled?: unknown };
    if (on === false) base.disabled.push(name);
    else if (on === true) enabled.push(name);
    else if (on !== undefined)
      throw new ConfigFileError(file, `instrumentation/development.js.${name}.enabled`, `expected boolean, got ${JSON.stringify(on)}`);
    if (Object.keys(rest).length > 0) base.options[name] = Object.freeze(rest);
  }
  // `enabled: true` adds a default-off instrumentation (fs) to the defaults; it narrows nothing.
  return { ...base, ...(enabled.length ? { alsoEnabled: enabled } : {}) };
}

/** The resolved configuration from a validated file (`model`) and the MONITORING_* environment. */
export function resolveFromFile(file: string, model: ConfigurationModel, env: Env = process.env): ResolvedConfig {
  const r = new Reader(file);
  const m = model as ConfigurationModel & Obj;
  for (const k of Object.keys(m)) {
    if (
      ![
        'file_format',
        'disabled',
        'log_level',
        'attribute_limits',
        'resource',
        'propagator',
        'tracer_provider',
        'meter_provider',
        'logger_provider',
        'instrumentation/development',
        'distribution',
      ].includes(k)
    ) {
      r.unsupported(k, 'unknown key; ignored');
    }
  }
  r.only(m.attribute_limits, 'attribute_limits', ['attribute_count_limit', 'attribute_value_length_limit']);

  // Resource.
  const res = (m.resource ?? {}) as Obj;
  r.only(res, 'resource', ['attributes', 'attributes_list', 'detection/development', 'schema_url']);
  const attributes = attributesOf(merge().mergeResourceAttributesConfig(res.attributes, res.attributes_list as string | null | undefined));
  const detection = res['detection/development'] as Obj | undefined;
  r.only(detection, 'resource.detection/development', ['detectors']);
  const detectors: string[] = [];
  ((detection?.detectors ?? []) as Obj[]).forEach((d, i) => {
    const name = Object.keys(d)[0] ?? '';
    const mapped = FILE_DETECTORS[name];
    if (mapped) detectors.push(...mapped);
    else
      r.unsupported(`resource.detection/development.detectors[${i}].${name}`, 'detector not supported by @socketcomm/monitoring; ignored');
  });
  // The spec's service detector takes service.name from OTEL_SERVICE_NAME (its one environment
  // variable); the file's own attributes win over it.
  const serviceDetector = detectors.includes('serviceinstance') ? env.OTEL_SERVICE_NAME?.trim() || undefined : undefined;
  const serviceName = typeof attributes['service.name'] === 'string' ? attributes['service.name'] : serviceDetector;

  // Propagators (src/sdk/propagators.ts validates the names).
  const prop = (m.propagator ?? {}) as Obj;
  const composite = merge().mergePropagatorCompositeConfig(prop.composite, prop.composite_list as string | null | undefined) ?? [];
  const propagators = [...new Set(composite.map((c) => Object.keys(c)[0] ?? ''))];

  // Traces.
  const tp = m.tracer_provider as Obj | undefined;
  r.only(tp, 'tracer_provider', ['processors', 'limits', 'sampler', 'id_generator']);
  const traces = {
    processors: processors(r, tp?.processors as Obj[] | undefined, 'tracer_provider.processors', 'traces'),
    ...(tp
      ? {
          sampler: sampler(r, tp.sampler as SamplerConfigModel | undefined, 'tracer_provider.sampler') ?? {
            type: 'parent_based',
            root: { type: 'always_on' },
          },
        }
      : {}),
    ...(tp || m.attribute_limits ? { limits: spanLimits(tp?.limits as Obj | undefined, m.attribute_limits as Obj | undefined) ?? {} } : {}),
  } as ResolvedConfig['traces'];
  if (isObj(tp?.id_generator) && Object.keys(tp.id_generator)[0] !== 'random') r.unsupported('tracer_provider.id_generator');

  // Metrics.
  const mp = m.meter_provider as Obj | undefined;
  r.only(mp, 'meter_provider', ['readers', 'views', 'exemplar_filter']);
  const readers: MetricReaderSpec[] = [];
  let prometheus: ResolvedConfig['metrics']['prometheus'];
  let pull: { host?: string; port?: number } = {};
  ((mp?.readers ?? []) as Obj[]).forEach((reader, i) => {
    const at = `meter_provider.readers[${i}]`;
    if (isObj(reader.periodic)) {
      const p = reader.periodic;
      r.only(p, `${at}.periodic`, ['exporter', 'interval', 'timeout', 'cardinality_limits']);
      const exp = exporter(r, p.exporter as PushMetricExporterConfigModel, `${at}.periodic.exporter`, 'metrics');
      if (!exp) return;
      const intervalMs = num(p.interval) ?? 60_000;
      const limits = cardinalityLimits(p.cardinality_limits);
      readers.push({
        exporter: exp,
        intervalMs,
        timeoutMs: Math.min(num(p.timeout) ?? 30_000, intervalMs),
        ...(limits ? { cardinalityLimits: limits } : {}),
      });
    } else if (isObj(reader.pull)) {
      const exp = (reader.pull.exporter ?? {}) as Obj;
      r.only(reader.pull, `${at}.pull`, ['exporter', 'cardinality_limits']);
      const [name, body] = Object.entries(exp)[0] ?? [];
      if (name !== 'prometheus/development') {
        r.unsupported(`${at}.pull.exporter.${name}`, 'pull exporter not supported (prometheus/development is /metrics); ignored');
        return;
      }
      const b = (body ?? {}) as Obj;
      r.only(b, `${at}.pull.exporter.${name}`, [
        'host',
        'port',
        'scope_info_enabled',
        'target_info_enabled/development',
        'resource_constant_labels',
        'translation_strategy',
      ]);
      pull = { ...(typeof b.host === 'string' ? { host: b.host } : {}), ...(num(b.port) !== undefined ? { port: num(b.port) } : {}) };
      const limits = cardinalityLimits(reader.pull.cardinality_limits);
      const naming = prometheusNaming(r, b, `${at}.pull.exporter.${name}`);
      prometheus = { ...(limits ? { cardinalityLimits: limits } : {}), ...(naming ? { naming } : {}) };
    } else {
      r.unsupported(`${at}.${Object.keys(reader)[0] ?? ''}`);
    }
  });
  const exemplarFilter = typeof mp?.exemplar_filter === 'string' ? (mp.exemplar_filter as ExemplarFilter) : undefined;

  // Logs.
  const lp = m.logger_provider as Obj | undefined;
  r.only(lp, 'logger_provider', ['processors', 'limits']);
  const logLimits = { ...(m.attribute_limits as Obj | undefined), ...(lp?.limits as Obj | undefined) };
  const logs = {
    processors: processors(r, lp?.processors as Obj[] | undefined, 'logger_provider.processors', 'logs'),
    ...(lp || m.attribute_limits
      ? {
          limits: {
            ...(num(logLimits.attribute_count_limit) !== undefined ? { attributeCountLimit: num(logLimits.attribute_count_limit) } : {}),
            ...(num(logLimits.attribute_value_length_limit) !== undefined
              ? { attributeValueLengthLimit: num(logLimits.attribute_value_length_limit) }
              : {}),
          },
        }
      : {}),
  };

  // This distribution's own section, then the MONITORING_* environment, then the defaults.
  const dist = (m.distribution ?? {}) as Obj;
  const fromEnv = monitoringFromEnv(monitoringEnv(env));
  const section = monitoringSection(file, dist[MONITORING_KEY], fromEnv, pull, r.warnings);

  const origin = file;
  const inst = instrumentations(r, m['instrumentation/development'], file);
  return {
    source: { kind: 'file', path: file },
    origins: {
      sdk: origin,
      resource: origin,
      propagator: origin,
      tracer_provider: origin,
      meter_provider: origin,
      logger_provider: origin,
      instrumentation: origin,
      monitoring: dist[MONITORING_KEY] !== undefined ? `${file} (distribution.${MONITORING_KEY}), environment` : 'environment',
    },
    sdkDisabled: m.disabled === true,
    diagLevel: diagLevel(m.log_level),
    resource: {
      ...(serviceName !== undefined ? { serviceName } : {}),
      attributes: Object.freeze(attributes),
      serviceNameGiven: serviceName !== undefined,
      detectors: Object.freeze(detectors),
      detectorsWhere: `${file}: resource.detection/development`,
      ...(typeof res.schema_url === 'string' ? { schemaUrl: res.schema_url } : {}),
    },
    propagators,
    propagatorsWhere: `${file}: propagator`,
    traces,
    metrics: {
      readers,
      views: viewSpecs(
        mp?.views as ConfigurationModel['meter_provider'] extends infer P ? (P extends { views?: infer V } ? V : never) : never,
      ),
      ...(exemplarFilter ? { exemplarFilter } : {}),
      ...(prometheus ? { prometheus } : {}),
    },
    logs,
    instrumentations: inst,
    monitoring: exemplarFilter === 'always_off' ? { ...section, exemplars: false } : section,
    runtime: runtimeFromEnv(env),
    warnings: r.warnings,
  };
}
