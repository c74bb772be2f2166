// The configuration in two forms, as gajus/lightship separates them: what a user writes (the
// OTel configuration file, `FileInput`, whose schema types come from @opentelemetry/configuration,
// plus this package's own top-level section `MonitoringFileSection`), and what every part of the
// package reads (`ResolvedConfig`: defaults applied, environment merged, validated, frozen).
import type { ViewSpec } from '../metrics/view-spec.js';

/** The top-level key of the configuration file that holds this package's own settings. */
export const MONITORING_KEY = 'socketcomm_monitoring';

/**
 * `socketcomm_monitoring:` in the configuration file: the MONITORING_* settings, snake_case.
 * What the file leaves out the environment fills, then the defaults.
 */
export interface MonitoringFileSection {
  server?: {
    enabled?: boolean;
    host?: string;
    port?: number;
    auth_token?: string;
    /** `*` or a list of origins. */
    cors_origins?: string | string[];
  };
  health_interval_ms?: number;
  shutdown?: { delay_ms?: number; timeout_ms?: number };
  cluster?: { enabled?: boolean; timeout_ms?: number; min_ready?: number };
  ui?: {
    enabled?: boolean;
    sample_ms?: number;
    history_points?: number;
    history_series?: number;
    traces_per_second?: number;
    recent_spans?: number;
    recent_logs?: number;
  };
  profiling?: boolean;
  system_metrics?: boolean;
  network_metrics?: boolean;
  exemplars?: boolean;
  /** StructuredLogger's minimum level (MONITORING_LOG_LEVEL). */
  log_level?: string;
  /** Idle series are dropped after this many ms (MONITORING_SERIES_TTL_MS); 0 keeps them. */
  series_ttl_ms?: number;
}

/** Where a part of the configuration came from: a file's path, `environment`, or `default`. */
export type ConfigOrigin = string;

export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';

/** An OTLP exporter. From the environment only `protocol` is set: the exporter reads OTEL_EXPORTER_OTLP_* itself. */
export interface OtlpExporterSpec {
  readonly kind: 'otlp';
  readonly protocol: OtlpProtocol;
  /** Set when the protocol named was not one of the three (warned about when built). */
  readonly unknownProtocol?: string;
  readonly endpoint?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly compression?: 'gzip' | 'none';
  readonly timeoutMs?: number;
  readonly temporality?: 'cumulative' | 'delta' | 'low_memory';
  readonly insecure?: boolean;
  /** From the environment: the OTEL_EXPORTER_OTLP_* settings the exporter will read, for showing only. */
  readonly fromEnv?: {
    readonly endpoint?: string;
    readonly headers?: Readonly<Record<string, string>>;
    readonly timeout?: string;
    readonly compression?: string;
  };
}
export type ExporterSpec =
  | OtlpExporterSpec
  | { readonly kind: 'console' }
  /** A name this package does not build (warned about when built; `where` says where it was named). */
  | { readonly kind: 'unsupported'; readonly name: string; readonly where: string };

export interface BatchSpec {
  readonly scheduleDelayMs?: number;
  readonly exportTimeoutMs?: number;
  readonly maxQueueSize?: number;
  readonly maxExportBatchSize: number;
}

export interface ProcessorSpec {
  readonly type: 'batch' | 'simple';
  readonly exporter: ExporterSpec;
  readonly batch?: BatchSpec;
}

export type SamplerSpec =
  | { readonly type: 'always_on' }
  | { readonly type: 'always_off' }
  | { readonly type: 'trace_id_ratio_based'; readonly ratio: number }
  | {
      readonly type: 'parent_based';
      readonly root: SamplerSpec;
      readonly remoteParentSampled?: SamplerSpec;
      readonly remoteParentNotSampled?: SamplerSpec;
      readonly localParentSampled?: SamplerSpec;
      readonly localParentNotSampled?: SamplerSpec;
    };

export interface SpanLimitsSpec {
  readonly attributeCountLimit?: number;
  readonly attributeValueLengthLimit?: number;
  readonly eventCountLimit?: number;
  readonly linkCountLimit?: number;
  readonly attributePerEventCountLimit?: number;
  readonly attributePerLinkCountLimit?: number;
}

export interface MetricReaderSpec {
  readonly exporter: ExporterSpec;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Per-instrument-kind cardinality limits of this reader (file only). */
  readonly cardinalityLimits?: Readonly<Record<string, number>>;
}

/** The Prometheus pull exporter's naming options (opentelemetry-configuration 1.0). */
export interface PrometheusNaming {
  /** Unit and `_total` suffixes (translation_strategy underscore_escaping_with_suffixes, the default). */
  readonly suffixes: boolean;
  /** `otel_scope_name` / `otel_scope_version` labels (scope_info_enabled). */
  readonly scopeLabels: boolean;
  /** The `target_info` series (target_info_enabled/development). */
  readonly targetInfo: boolean;
  /** Resource attributes added to every series as labels (resource_constant_labels). */
  readonly resourceLabels?: { readonly included?: readonly string[]; readonly excluded?: readonly string[] };
}

export type ExemplarFilter = 'trace_based' | 'always_on' | 'always_off';

/** The configuration every part of the package reads (getConfig() in src/config/index.ts). */
export interface ResolvedConfig {
  /** Where the configuration was read from. */
  readonly source: { readonly kind: 'environment' } | { readonly kind: 'file'; readonly path: string };
  /**
   * A configuration file that could not be used: monitoring is off but for the health routes.
   * `message` is the one error printed on stderr.
   */
  readonly invalid?: { readonly file: string; readonly message: string };
  /** Where each top-level part came from. */
  readonly origins: Readonly<Record<string, ConfigOrigin>>;
  /** OTEL_SDK_DISABLED / `disabled`: no SDK, no instrumentation (the monitoring server still runs). */
  readonly sdkDisabled: boolean;
  /** The OTel diag logger's level: NONE, ERROR, WARN, INFO, DEBUG, VERBOSE, ALL. */
  readonly diagLevel: string;
  readonly resource: {
    /** OTEL_SERVICE_NAME, or `service.name` of the file's resource attributes. */
    readonly serviceName?: string;
    /** Attributes the file gives (with the environment, the env detector reads OTEL_RESOURCE_ATTRIBUTES). */
    readonly attributes: Readonly<Record<string, string | number | boolean | readonly string[] | readonly number[] | readonly boolean[]>>;
    /** Does the configuration name `service.name` (directly or in the attributes)? */
    readonly serviceNameGiven: boolean;
    /** `service.name` of OTEL_RESOURCE_ATTRIBUTES, for a process without SDK. */
    readonly serviceNameFromAttributes?: string;
    /** Detector names (src/sdk/resource.ts), lower-case; `where` names the setting for warnings. */
    readonly detectors: readonly string[];
    readonly detectorsWhere: string;
    readonly schemaUrl?: string;
  };
  /** Propagator names (src/sdk/propagators.ts); `where` names the setting for warnings. */
  readonly propagators: readonly string[];
  readonly propagatorsWhere: string;
  readonly traces: {
    readonly processors: readonly ProcessorSpec[];
    /** Undefined: the SDK's default (with the environment: OTEL_TRACES_SAMPLER, read by the SDK). */
    readonly sampler?: SamplerSpec;
    readonly limits?: SpanLimitsSpec;
  };
  readonly metrics: {
    readonly readers: readonly MetricReaderSpec[];
    /** `meter_provider.views`, applied where instruments are created (src/metrics/). */
    readonly views: readonly ViewSpec[];
    readonly exemplarFilter?: ExemplarFilter;
    /** The `pull` Prometheus reader of the file: what `/metrics` serves besides the monitoring server's defaults. */
    readonly prometheus?: {
      /** Per-instrument-kind cardinality limits of the OTel SDK's streams on `/metrics`. */
      readonly cardinalityLimits?: Readonly<Record<string, number>>;
      /** How `/metrics` names and labels series in the Prometheus text formats (the pull exporter's options). */
      readonly naming?: PrometheusNaming;
    };
  };
  readonly logs: {
    readonly processors: readonly ProcessorSpec[];
    /** From a file: the log record limits (the environment's OTEL_LOGRECORD_* are read by the SDK). */
    readonly limits?: { readonly attributeCountLimit?: number; readonly attributeValueLengthLimit?: number };
  };
  readonly instrumentations: {
    /** Names listed as enabled (undefined: the defaults); `where` names the setting for warnings. */
    readonly enabled?: readonly string[];
    /** Default-off names turned on besides the defaults (the file's `enabled: true`). */
    readonly alsoEnabled?: readonly string[];
    readonly disabled: readonly string[];
    readonly enabledWhere: string;
    readonly disabledWhere: string;
    /** Options passed to an instrumentation's constructor, by name (file only). */
    readonly options: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  };
  readonly monitoring: {
    readonly server: boolean;
    readonly host: string;
    readonly port: number;
    /** A port setting that was not a port number (warned about when the server is created). */
    readonly portProblem?: string;
    readonly authToken?: string;
    readonly corsOrigins?: '*' | readonly string[];
    readonly healthIntervalMs: number;
    readonly shutdownDelayMs: number;
    readonly shutdownTimeoutMs: number;
    readonly cluster: { readonly enabled: boolean; readonly timeoutMs: number; readonly minReady?: number };
    readonly ui: {
      readonly enabled: boolean;
      readonly sampleMs: number;
      readonly historyPoints: number;
      readonly historySeries: number;
      readonly tracesPerSecond: number;
      readonly recentSpans: number;
      readonly recentLogs: number;
    };
    readonly profiling: boolean;
    readonly systemMetrics: boolean;
    readonly networkMetrics: boolean;
    readonly exemplars: boolean;
    readonly logLevel: string;
    /** MONITORING_SERIES_TTL_MS / `series_ttl_ms`: idle series are dropped after this many ms (unset: the store's default). */
    readonly seriesTtlMs?: number;
    /** A MONITORING_SERIES_TTL_MS that is no number of ms (warned about when the store reads it). */
    readonly seriesTtlProblem?: string;
  };
  /** The process environment facts that are not configuration (PM2's pm_id, the Lambda runtime's variables). */
  readonly runtime: { readonly pm2Id?: string; readonly lambda: boolean };
  /** Warnings from reading the configuration (unknown or unsupported keys), printed once at start. */
  readonly warnings: readonly string[];
}
