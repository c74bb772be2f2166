import { getState } from './state.js';

// Importing the package starts nothing: register does. Used without register, the facade
// starts a minimal metrics SDK on first need through this hook.
getState().startMinimalSdk ??= () => import('./sdk/minimal.js').then((m) => m.startMinimal());

export {
  MetricsCollector,
  type MetricOptions,
  type HistogramOptions,
  type MetricsCollectorOptions,
  type BoundCounter,
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
