import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { IExportMetricsServiceResponse, ISerializer } from '@opentelemetry/otlp-transformer';

// An OTLP metric exporter whose request serializer we choose (the facade's exemplars are
// spliced into the encoded request: src/sdk/otlp-exemplars.ts). The exporter packages take
// their serializer as a constructor argument of their export delegate and expose no way to
// pass another one; this builds the same exporter from the same public, typed exports of the
// pinned packages (@opentelemetry/otlp-exporter-base, otlp-grpc-exporter-base, otlp-transformer
// and OTLPMetricExporterBase), as each exporter's constructor does, with our serializer in.
//
// Chosen over replacing the private `_delegate._serializer` of a constructed exporter: nothing
// private is touched, a changed signature fails the build, and test/unit/compat/ checks that
// each variant sends what the upstream exporter sends (path, headers, bytes). The cost: the
// constructors' arguments (content type, signal path, self-observability component type, gRPC
// service and method) are repeated here; those helpers are marked "internal use" upstream and
// the option converters deprecated, so every dependency involved is pinned exactly.

export type MetricsSerializer = ISerializer<ResourceMetrics, IExportMetricsServiceResponse>;
/** The transports of the OTLP exporters: http/protobuf, http/json, gRPC. */
export type OtlpVariant = 'proto' | 'http' | 'grpc';

/** Component types of the exporters' self-observability metrics (the exporter packages' semconv values). */
const HTTP_COMPONENT = 'otlp_http_metric_exporter';
const GRPC_COMPONENT = 'otlp_grpc_metric_exporter';

/** Explicit settings (a configuration file's); what is unset comes from OTEL_EXPORTER_OTLP_* as upstream. */
export interface OtlpMetricOptions {
  /** The exporter package's own options (url, headers or gRPC metadata, timeoutMillis, compression, credentials). */
  settings?: object;
  /** AggregationTemporalityPreference of the exporter package: 0 delta, 1 cumulative, 2 low memory. */
  temporalityPreference?: 0 | 1 | 2;
  /** Construct (synchronously) with the environment hidden: src/config/env.ts withoutOtelEnv. */
  isolate?: <T>(build: () => T) => T;
}

/**
 * The OTLP metric exporter of `variant`, configured from `options` and the standard
 * OTEL_EXPORTER_OTLP_* environment like the upstream one, serializing through
 * `wrap(upstream serializer)`. The packages load here, on first use (gRPC alone costs tens of
 * milliseconds).
 */
export async function otlpMetricExporter(
  variant: OtlpVariant,
  wrap: (inner: MetricsSerializer) => MetricsSerializer,
  options: OtlpMetricOptions = {},
): Promise<PushMetricExporter> {
  const { isolate = (build) => build(), temporalityPreference, settings = {} } = options;
  const exporterConfig = temporalityPreference !== undefined ? { temporalityPreference } : undefined;
  const [{ OTLPMetricExporterBase }, transformer] = await Promise.all([
    import('@opentelemetry/exporter-metrics-otlp-http'),
    import('@opentelemetry/otlp-transformer'),
  ]);
  const helper = transformer.MetricsExporterMetricsHelper;
  if (variant === 'grpc') {
    const grpc = await import('@opentelemetry/otlp-grpc-exporter-base');
    return isolate(() => {
      const delegate = grpc.createOtlpGrpcExportDelegate(
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- what the pinned OTLPMetricExporter itself calls
        grpc.convertLegacyOtlpGrpcOptions(settings, 'METRICS'),
        wrap(transformer.ProtobufMetricsSerializer),
        GRPC_COMPONENT,
        helper,
        undefined,
        'MetricsExportService',
        '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
      );
      return new OTLPMetricExporterBase(delegate, exporterConfig);
    });
  }
  const http = await import('@opentelemetry/otlp-exporter-base/node-http');
  const json = variant === 'http';
  return isolate(() => {
    const delegate = http.createOtlpHttpExportDelegate(
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- what the pinned OTLPMetricExporter itself calls
      http.convertLegacyHttpOptions(settings, 'METRICS', 'v1/metrics', {
        'Content-Type': json ? 'application/json' : 'application/x-protobuf',
      }),
      wrap(json ? transformer.JsonMetricsSerializer : transformer.ProtobufMetricsSerializer),
      HTTP_COMPONENT,
      helper,
      undefined,
    );
    return new OTLPMetricExporterBase(delegate, exporterConfig);
  });
}
