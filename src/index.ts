import { getState } from './state.js';

// Importing the package starts nothing: register does. Used without register, the facade
// starts a minimal metrics SDK on first need through this hook.
getState().sdk.startMinimal ??= () => import('./sdk/minimal.js').then((m) => m.startMinimal());

export {
  MetricsCollector,
  type MetricOptions,
  type HistogramOptions,
  type MetricsCollectorOptions,
  type BoundCounter,
  type BoundUpDownCounter,
  type BoundGauge,
  type BoundHistogram,
  type MetricsSummary,
  type HistogramSummary,
  type SeriesSummary,
} from './metrics/collector.js';
export {
  HealthEndpoints,
  type HealthEndpointsOptions,
  type CorsOptions,
  type CustomHandler,
  type RouteContext,
  type RouteReply,
  type RouteHandler,
} from './http/server.js';
export { shutdown } from './shutdown.js';
export { HealthStatus, type HealthCheckResult, type CheckFunction, type CheckOutcome, type CheckOptions } from './health/status.js';
export { HealthChecker, type HealthCheckerOptions, type ThresholdOverrides } from './health/health-checker.js';
export type { DefaultCheckThresholds } from './health/defaults.js';
export {
  ReadinessChecker,
  type ReadinessCheckerOptions,
  type DependencyOptions,
  type HttpDependencyOptions,
} from './health/readiness-checker.js';
export { PerformanceTracker, TRACER_NAME, type PerformanceTrackerOptions, type TrackedOperation } from './tracing/tracker.js';
export {
  StructuredLogger,
  type StructuredLoggerOptions,
  type LogFields,
  type LogContextHandle,
  type RequestContext,
  type LogDestination,
} from './logging/logger.js';
export { LogLevel } from './logging/levels.js';
export { DEFAULT_REDACT_KEYS, maskUrlCredentials } from './util/redact.js';
export { setClusterGaugeAggregation, type GaugeAggregation } from './cluster/aggregation.js';
