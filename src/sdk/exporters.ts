import { diag } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import { exportersFor, otlpProtocol, type Signal } from './env.js';
import { withExemplars } from './otlp-exemplars.js';
import { otlpMetricExporter } from '../compat/otlp-metric-exporter.js';
import { PACKAGE_NAME } from '../package-info.js';

// Exporter packages are imported only for the protocol the environment names: the gRPC
// stack alone would add tens of milliseconds to every start. Each OTLP exporter reads its
// own endpoint, headers, timeout and compression from the standard OTEL_EXPORTER_OTLP_* variables.

async function otlpExporter(signal: Signal): Promise<unknown> {
  const protocol = otlpProtocol(signal);
  const pkgSignal = signal === 'traces' ? 'trace' : signal;
  const variant = protocol === 'grpc' ? 'grpc' : protocol === 'http/json' ? 'http' : protocol === 'http/protobuf' ? 'proto' : undefined;
  if (variant === undefined) {
    diag.warn(`${PACKAGE_NAME}: unknown OTLP protocol "${protocol}" for ${signal}; using http/protobuf`);
  }
  if (signal === 'metrics') {
    // Metrics carry the facade histograms' exemplars: the exporter is built with our serializer.
    return otlpMetricExporter(variant ?? 'proto', (inner) => withExemplars(inner, variant === 'http' ? 'json' : 'protobuf'));
  }
  const pkg = `@opentelemetry/exporter-${pkgSignal}-otlp-${variant ?? 'proto'}`;
  const mod = (await import(pkg)) as Record<string, new () => unknown>;
  const cls = signal === 'traces' ? mod.OTLPTraceExporter : mod.OTLPLogExporter;
  return cls ? new cls() : undefined;
}

async function exporters<T>(signal: Signal, consoleName: string, consolePkg: string): Promise<T[]> {
  const out: T[] = [];
  for (const name of exportersFor(signal)) {
    if (name === 'otlp') {
      const e = await otlpExporter(signal);
      if (e) out.push(e as T);
    } else if (name === 'console') {
      const mod = (await import(consolePkg)) as Record<string, new () => T>;
      out.push(new mod[consoleName]!());
    } else if (name === 'prometheus' && signal === 'metrics') {
      // Served by pull on the monitoring server, always on.
    } else {
      diag.warn(`${PACKAGE_NAME}: OTEL_${signal.toUpperCase()}_EXPORTER value "${name}" is not supported; ignored`);
    }
  }
  return out;
}

export function traceExporters(): Promise<SpanExporter[]> {
  return exporters<SpanExporter>('traces', 'ConsoleSpanExporter', '@opentelemetry/sdk-trace-base');
}
export function metricExporters(): Promise<PushMetricExporter[]> {
  return exporters<PushMetricExporter>('metrics', 'ConsoleMetricExporter', '@opentelemetry/sdk-metrics');
}
export function logExporters(): Promise<LogRecordExporter[]> {
  return exporters<LogRecordExporter>('logs', 'ConsoleLogRecordExporter', '@opentelemetry/sdk-logs');
}
