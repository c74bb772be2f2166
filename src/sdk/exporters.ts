import { diag } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import { withoutOtelEnv, type Signal } from '../config/env.js';
import { getConfig } from '../config/index.js';
import type { ExporterSpec, OtlpExporterSpec } from '../config/types.js';
import { withExemplars } from './otlp-exemplars.js';
import { otlpMetricExporter } from '../compat/otlp-metric-exporter.js';
import { SplittingMetricExporter } from './otlp-split.js';
import { PACKAGE_NAME } from '../package-info.js';

// Exporter packages are imported only for the protocol the configuration names: the gRPC
// stack alone would add tens of milliseconds to every start. From the environment, each OTLP
// exporter reads its own endpoint, headers, timeout and compression from the standard
// OTEL_EXPORTER_OTLP_* variables; from a configuration file it gets them explicitly and the
// environment is hidden while it is built (withoutOtelEnv).

const TEMPORALITY = { delta: 0, cumulative: 1, low_memory: 2 } as const;

/** The exporter package's options for a spec from a configuration file (none from the environment). */
async function otlpSettings(spec: OtlpExporterSpec): Promise<object> {
  if (spec.endpoint === undefined) return {};
  const common = {
    url: spec.endpoint,
    ...(spec.timeoutMs !== undefined ? { timeoutMillis: spec.timeoutMs } : {}),
    ...(spec.compression !== undefined ? { compression: spec.compression } : {}),
  };
  if (spec.protocol !== 'grpc') return { ...common, headers: { ...spec.headers } };
  const grpc = await import('@grpc/grpc-js');
  const metadata = new grpc.Metadata();
  for (const [k, v] of Object.entries(spec.headers ?? {})) metadata.set(k, v);
  const insecure = spec.insecure ?? spec.endpoint.startsWith('http://');
  return { ...common, metadata, ...(insecure ? { credentials: grpc.credentials.createInsecure() } : {}) };
}

async function otlpExporter(signal: Signal, spec: OtlpExporterSpec, fromFile: boolean): Promise<unknown> {
  const protocol = spec.protocol;
  const pkgSignal = signal === 'traces' ? 'trace' : signal;
  const variant = protocol === 'grpc' ? 'grpc' : protocol === 'http/json' ? 'http' : 'proto';
  if (spec.unknownProtocol !== undefined) {
    diag.warn(`${PACKAGE_NAME}: unknown OTLP protocol "${spec.unknownProtocol}" for ${signal}; using http/protobuf`);
  }
  const settings = await otlpSettings(spec);
  const isolate = <T>(build: () => T): T => withoutOtelEnv(fromFile, build);
  if (signal === 'metrics') {
    // Metrics carry the facade histograms' exemplars: the exporter is built with our serializer.
    const temporality = spec.temporality ?? (fromFile ? 'cumulative' : undefined);
    // Large exports go as several requests, the loop given back between them (src/sdk/otlp-split.ts).
    const exporter = await otlpMetricExporter(variant, (inner) => withExemplars(inner, variant === 'http' ? 'json' : 'protobuf'), {
      settings,
      isolate,
      ...(temporality !== undefined ? { temporalityPreference: TEMPORALITY[temporality] } : {}),
    });
    return new SplittingMetricExporter(exporter);
  }
  const pkg = `@opentelemetry/exporter-${pkgSignal}-otlp-${variant}`;
  const mod = (await import(pkg)) as Record<string, new (options?: object) => unknown>;
  const cls = signal === 'traces' ? mod.OTLPTraceExporter : mod.OTLPLogExporter;
  return cls ? isolate(() => new cls(settings)) : undefined;
}

/** The exporter a spec describes; undefined (with a warning) for a name this package does not build. */
export async function buildExporter<T>(signal: Signal, spec: ExporterSpec): Promise<T | undefined> {
  const fromFile = getConfig().source.kind === 'file';
  if (spec.kind === 'otlp') return (await otlpExporter(signal, spec, fromFile)) as T | undefined;
  if (spec.kind === 'console') {
    const [pkg, name] =
      signal === 'traces'
        ? ['@opentelemetry/sdk-trace-base', 'ConsoleSpanExporter']
        : signal === 'metrics'
          ? ['@opentelemetry/sdk-metrics', 'ConsoleMetricExporter']
          : ['@opentelemetry/sdk-logs', 'ConsoleLogRecordExporter'];
    const mod = (await import(pkg)) as Record<string, new () => T>;
    return new mod[name]!();
  }
  diag.warn(`${PACKAGE_NAME}: ${spec.where} value "${spec.name}" is not supported; ignored`);
  return undefined;
}

export type { SpanExporter, PushMetricExporter, LogRecordExporter };
