import { diag, DiagConsoleLogger, DiagLogLevel, metrics } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  InstrumentType,
  MeterProvider,
  PeriodicExportingMetricReader,
  type MetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type BufferConfig,
  type Sampler,
  type SpanExporter,
  type SpanProcessor,
  type TracerConfig,
} from '@opentelemetry/sdk-trace-base';
import type { LogRecordExporter, LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { Resource } from '@opentelemetry/resources';
import { getState } from '../state.js';
import { StoreMetricProducer } from '../metrics/producer.js';
import { setMetricsSource, sharedStore } from '../metrics/source.js';
import { getConfig } from '../config/index.js';
import { withoutOtelEnv } from '../config/env.js';
import type { BatchSpec, SamplerSpec } from '../config/types.js';
import { buildResource } from './resource.js';
import { configuredPropagator } from './propagators.js';
import { buildExporter } from './exporters.js';
import { DedupingDiagLogger } from './diag.js';
import { deferSystemMetrics, startSystemMetrics } from './system-metrics.js';
import { RecentSpanProcessor } from '../recent/spans.js';
import { activeViews } from '../metrics/views.js';
import { warnOnce } from '../util/report.js';
import { sdkViewOptions, useFirstMatchingView } from './views.js';

export interface MonitoringSdk {
  resource: Resource;
  meterProvider: MeterProvider;
  tracerProvider: NodeTracerProvider | undefined;
  pullReader: PrometheusExporter;
  /** Host, process (and, without register, runtime) metrics; once, however often called. */
  startSystemMetrics(): Promise<void>;
  /** Flush every exporter (traces, metrics, logs). */
  forceFlush(): Promise<void>;
  /** Flush and shut every provider down; idempotent. */
  shutdown(): Promise<void>;
}

/** The file's cardinality_limits keys by the SDK's instrument types. */
const INSTRUMENT_KEYS: Partial<Record<InstrumentType, string>> = {
  [InstrumentType.COUNTER]: 'counter',
  [InstrumentType.GAUGE]: 'gauge',
  [InstrumentType.HISTOGRAM]: 'histogram',
  [InstrumentType.UP_DOWN_COUNTER]: 'up_down_counter',
  [InstrumentType.OBSERVABLE_COUNTER]: 'observable_counter',
  [InstrumentType.OBSERVABLE_GAUGE]: 'observable_gauge',
  [InstrumentType.OBSERVABLE_UP_DOWN_COUNTER]: 'observable_up_down_counter',
};

/**
 * Gives `reader` the file's `cardinality_limits` (per instrument kind, else `default`, else the
 * SDK's 2000) through MetricReader's public selectCardinalityLimit, read when an instrument's
 * storage is made. One way for both reader kinds: PrometheusExporter takes no cardinality option,
 * and PeriodicExportingMetricReader's own takes other key names.
 */
function limitCardinality(reader: MetricReader, limits: Readonly<Record<string, number>> | undefined): void {
  if (limits) reader.selectCardinalityLimit = (type) => limits[INSTRUMENT_KEYS[type] ?? ''] ?? limits.default ?? 2000;
}

export interface StartOptions {
  /** 'register' builds everything; 'minimal' only the metrics pipeline (facade used without register). */
  mode: 'register' | 'minimal';
}

/** The SDK's sampler for a configured one. */
function sampler(s: SamplerSpec): Sampler {
  switch (s.type) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'trace_id_ratio_based':
      return new TraceIdRatioBasedSampler(s.ratio);
    case 'parent_based':
      return new ParentBasedSampler({
        root: sampler(s.root),
        ...(s.remoteParentSampled ? { remoteParentSampled: sampler(s.remoteParentSampled) } : {}),
        ...(s.remoteParentNotSampled ? { remoteParentNotSampled: sampler(s.remoteParentNotSampled) } : {}),
        ...(s.localParentSampled ? { localParentSampled: sampler(s.localParentSampled) } : {}),
        ...(s.localParentNotSampled ? { localParentNotSampled: sampler(s.localParentNotSampled) } : {}),
      });
  }
}

/** A batch processor's options from the configuration (what is unset the SDK takes from OTEL_BSP_* / OTEL_BLRP_*). */
function bufferConfig(b: BatchSpec | undefined): BufferConfig {
  return {
    ...(b?.scheduleDelayMs !== undefined ? { scheduledDelayMillis: b.scheduleDelayMs } : {}),
    ...(b?.exportTimeoutMs !== undefined ? { exportTimeoutMillis: b.exportTimeoutMs } : {}),
    ...(b?.maxQueueSize !== undefined ? { maxQueueSize: b.maxQueueSize } : {}),
    ...(b?.maxExportBatchSize !== undefined ? { maxExportBatchSize: b.maxExportBatchSize } : {}),
  };
}

function setupDiag(): void {
  const level = getConfig().diagLevel;
  const map: Record<string, DiagLogLevel> = {
    NONE: DiagLogLevel.NONE,
    ERROR: DiagLogLevel.ERROR,
    WARN: DiagLogLevel.WARN,
    INFO: DiagLogLevel.INFO,
    DEBUG: DiagLogLevel.DEBUG,
    VERBOSE: DiagLogLevel.VERBOSE,
    ALL: DiagLogLevel.ALL,
  };
  // Repeated errors/warnings (a collector down for hours) print once per kind: see diag.ts.
  diag.setLogger(new DedupingDiagLogger(new DiagConsoleLogger()), {
    logLevel: map[level] ?? DiagLogLevel.WARN,
    suppressOverrideMessage: true,
  });
}

/** The MeterProvider with the process's views (src/sdk/views.ts); without them should sdk-metrics refuse one. */
function meterProviderWithViews(resource: Resource, readers: MetricReader[]): MeterProvider {
  const views = activeViews();
  if (views.length > 0) {
    try {
      const provider = new MeterProvider({ resource, readers, views: sdkViewOptions(views) });
      useFirstMatchingView(provider, views);
      return provider;
    } catch (e) {
      warnOnce(`views could not be given to the OTel SDK (${(e as Error).message}); its instruments keep their default streams`);
    }
  }
  return new MeterProvider({ resource, readers });
}

/** Build the OTel SDK from the standard environment and publish it in the shared state. */
export async function startSdk(options: StartOptions): Promise<MonitoringSdk> {
  const state = getState();
  if (state.sdk.instance) return state.sdk.instance;
  setupDiag();
  const full = options.mode === 'register';
  let systemMetrics = false;
  const resource = await buildResource();
  const store = sharedStore();

  // Metrics: one pull reader behind /metrics, plus a push reader per configured exporter.
  // Each reader gets its own producer so delta temporality is computed per reader.
  // The pull reader collects the SDK's own instruments; the facade's series are added by the
  // metrics source below (collect) or written straight from the store by a scrape (collectApart).
  const pullReader = new PrometheusExporter({ preventServerStart: true });
  const config = getConfig();
  limitCardinality(pullReader, config.metrics.prometheus?.cardinalityLimits);
  const facade = new StoreMetricProducer(store);
  const readers: MetricReader[] = [pullReader];
  const fromFile = config.source.kind === 'file';
  for (const spec of full ? config.metrics.readers : []) {
    const exporter = await buildExporter<PushMetricExporter>('metrics', spec.exporter);
    if (!exporter) continue;
    const reader = new PeriodicExportingMetricReader({
      exporter,
      exportIntervalMillis: spec.intervalMs,
      exportTimeoutMillis: spec.timeoutMs,
      metricProducers: [new StoreMetricProducer(store, (t) => exporter.selectAggregationTemporality?.(t) ?? 1)],
    });
    limitCardinality(reader, spec.cardinalityLimits);
    readers.push(reader);
  }
  const meterProvider = meterProviderWithViews(resource, readers);
  metrics.setGlobalMeterProvider(meterProvider);

  let tracerProvider: NodeTracerProvider | undefined;
  let loggerProvider: { forceFlush(): Promise<void>; shutdown(): Promise<void> } | undefined;
  if (full) {
    const spanProcessors: SpanProcessor[] = [new RecentSpanProcessor() as unknown as SpanProcessor];
    // selfObsMeterProvider: the SDK's own counters, among them the spans and log records a full
    // queue drops (otel.sdk.processor.{span,log}.processed{error.type="queue_full"}), are then
    // served on /metrics and pushed with the rest; otherwise a down collector drops silently.
    // (The env-reading shim's config type omits the option; it passes it on to the base class.)
    // Batches of 128 instead of the SDK's 512: serialising a batch to protobuf is synchronous,
    // and 512 spans blocked the app's event loop for ~20-40 ms per export on a 2-core box (the
    // app's p99 latency); four small blocks hurt far less than one big one. Env still wins.
    // With a configuration file, the SDK's constructors must not read OTEL_* (withoutOtelEnv).
    for (const spec of config.traces.processors) {
      const exporter = await buildExporter<SpanExporter>('traces', spec.exporter);
      if (!exporter) continue;
      const bspConfig: BufferConfig & { selfObsMeterProvider: MeterProvider } = {
        selfObsMeterProvider: meterProvider,
        ...bufferConfig(spec.batch),
      };
      spanProcessors.push(
        withoutOtelEnv(fromFile, () =>
          spec.type === 'simple' ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter, bspConfig),
        ),
      );
    }
    const { sampler: samplerSpec, limits } = config.traces;
    const tracerConfig: TracerConfig = {
      resource,
      spanProcessors,
      ...(samplerSpec ? { sampler: sampler(samplerSpec) } : {}),
      ...(limits ? { spanLimits: limits } : {}),
      ...(limits && (limits.attributeCountLimit !== undefined || limits.attributeValueLengthLimit !== undefined)
        ? {
            generalLimits: {
              ...(limits.attributeCountLimit !== undefined ? { attributeCountLimit: limits.attributeCountLimit } : {}),
              ...(limits.attributeValueLengthLimit !== undefined ? { attributeValueLengthLimit: limits.attributeValueLengthLimit } : {}),
            },
          }
        : {}),
    };
    tracerProvider = withoutOtelEnv(fromFile, () => new NodeTracerProvider(tracerConfig));
    tracerProvider.register({ propagator: configuredPropagator(), contextManager: new AsyncLocalStorageContextManager() });

    const { LoggerProvider, BatchLogRecordProcessor, SimpleLogRecordProcessor } = await import('@opentelemetry/sdk-logs');
    const logProcessors: LogRecordProcessor[] = [];
    for (const spec of config.logs.processors) {
      const exporter = await buildExporter<LogRecordExporter>('logs', spec.exporter);
      if (!exporter) continue;
      logProcessors.push(
        withoutOtelEnv(fromFile, () =>
          spec.type === 'simple'
            ? new SimpleLogRecordProcessor({ exporter })
            : new BatchLogRecordProcessor({ exporter, selfObsMeterProvider: meterProvider, ...bufferConfig(spec.batch) }),
        ),
      );
    }
    const lp = withoutOtelEnv(
      fromFile,
      () =>
        new LoggerProvider({
          resource,
          processors: logProcessors,
          ...(config.logs.limits ? { logRecordLimits: config.logs.limits } : {}),
        }),
    );
    logs.setGlobalLoggerProvider(lp);
    loggerProvider = lp;
    // The StructuredLogger emits its records to the Logs API only when they go somewhere.
    state.logging.exporting = logProcessors.length > 0;

    // Loaded in register mode only: the table imports the eager instrumentations.
    const { enabledInstrumentations, disabledByEnv } = await import('./instrumentations.js');
    const { startInstrumentations } = await import('./lazy-instrumentations.js');
    // host-metrics is the system metrics' (below): on unless they are off or the name is disabled.
    systemMetrics = config.monitoring.systemMetrics && !disabledByEnv().has('host-metrics');
    const names = enabledInstrumentations().filter((n) => n !== 'host-metrics');
    if (systemMetrics) names.push('host-metrics');
    startInstrumentations(names, { tracerProvider, meterProvider, loggerProvider: lp }, state.sdk.esmEntry);
  }

  let down: Promise<void> | undefined;
  const sdk: MonitoringSdk = {
    resource,
    meterProvider,
    tracerProvider,
    pullReader,
    startSystemMetrics: () => startSystemMetrics(meterProvider, !full),
    async forceFlush() {
      await Promise.allSettled([tracerProvider?.forceFlush(), meterProvider.forceFlush(), loggerProvider?.forceFlush()]);
    },
    shutdown() {
      return (down ??= (async () => {
        await Promise.allSettled([tracerProvider?.shutdown(), meterProvider.shutdown(), loggerProvider?.shutdown()]);
      })());
    },
  };
  state.sdk.instance = sdk;
  state.sdk.mode = options.mode;
  state.sdk.resource = resource;
  setMetricsSource(
    {
      async collect() {
        // As a reader with the facade's producer did: the SDK's scopes, then the facade's.
        const rm = (await pullReader.collect()).resourceMetrics;
        rm.scopeMetrics.push(...(await facade.collect()).resourceMetrics.scopeMetrics);
        return rm;
      },
      collectApart: async () => (await pullReader.collect()).resourceMetrics,
    },
    'sdk',
  );
  if (systemMetrics) deferSystemMetrics();
  return sdk;
}
