import { diag, DiagConsoleLogger, DiagLogLevel, metrics } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, PeriodicExportingMetricReader, type MetricReader } from '@opentelemetry/sdk-metrics';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { BatchSpanProcessor, type BufferConfig, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { Resource } from '@opentelemetry/resources';
import { getState } from '../state.js';
import { StoreMetricProducer } from '../metrics/producer.js';
import { setMetricsSource, sharedStore } from '../metrics/source.js';
import { envBool, envNumber, envString } from './env.js';
import { buildResource } from './resource.js';
import { propagatorFromEnv } from './propagators.js';
import { logExporters, metricExporters, traceExporters } from './exporters.js';
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

export interface StartOptions {
  /** 'register' builds everything; 'minimal' only the metrics pipeline (facade used without register). */
  mode: 'register' | 'minimal';
}

const EXPORT_BATCH_SIZE = 128;

function setupDiag(): void {
  const level = envString('OTEL_LOG_LEVEL')?.toUpperCase() ?? 'WARN';
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
  const pullReader = new PrometheusExporter({ preventServerStart: true, metricProducers: [new StoreMetricProducer(store)] });
  const readers: MetricReader[] = [pullReader];
  const intervalMs = envNumber('OTEL_METRIC_EXPORT_INTERVAL', 60000);
  for (const exporter of full ? await metricExporters() : []) {
    readers.push(
      new PeriodicExportingMetricReader({
        exporter,
        exportIntervalMillis: intervalMs,
        exportTimeoutMillis: Math.min(envNumber('OTEL_METRIC_EXPORT_TIMEOUT', 30000), intervalMs),
        metricProducers: [new StoreMetricProducer(store, (t) => exporter.selectAggregationTemporality?.(t) ?? 1)],
      }),
    );
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
    const bspConfig: BufferConfig & { selfObsMeterProvider: MeterProvider } = {
      selfObsMeterProvider: meterProvider,
      maxExportBatchSize: envNumber('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', EXPORT_BATCH_SIZE),
    };
    for (const exporter of await traceExporters()) spanProcessors.push(new BatchSpanProcessor(exporter, bspConfig));
    tracerProvider = new NodeTracerProvider({ resource, spanProcessors });
    tracerProvider.register({ propagator: propagatorFromEnv(), contextManager: new AsyncLocalStorageContextManager() });

    const logExps = await logExporters();
    const { LoggerProvider, BatchLogRecordProcessor } = await import('@opentelemetry/sdk-logs');
    const lp = new LoggerProvider({
      resource,
      processors: logExps.map(
        (exporter) =>
          new BatchLogRecordProcessor({
            exporter,
            selfObsMeterProvider: meterProvider,
            maxExportBatchSize: envNumber('OTEL_BLRP_MAX_EXPORT_BATCH_SIZE', EXPORT_BATCH_SIZE),
          }),
      ),
    });
    logs.setGlobalLoggerProvider(lp);
    loggerProvider = lp;
    // The StructuredLogger emits its records to the Logs API only when they go somewhere.
    state.logging.exporting = logExps.length > 0;

    // Loaded in register mode only: the table imports the eager instrumentations.
    const { enabledInstrumentations, disabledByEnv } = await import('./instrumentations.js');
    const { startInstrumentations } = await import('./lazy-instrumentations.js');
    // host-metrics is the system metrics' (below): on unless they are off or the name is disabled.
    systemMetrics = envBool('MONITORING_SYSTEM_METRICS', true) && !disabledByEnv().has('host-metrics');
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
  setMetricsSource({ collect: async () => (await pullReader.collect()).resourceMetrics }, 'sdk');
  if (systemMetrics) deferSystemMetrics();
  return sdk;
}
