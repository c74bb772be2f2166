import type { SeriesStore } from './metrics/store.js';

/**
 * Process-wide state shared by every copy of this package that a process loads (the ESM
 * build loaded by `--import`, and the CommonJS build a CJS app requires): it lives on a
 * global symbol so `new MetricsCollector()` in either sees the SDK that register started.
 */
export interface MonitoringState {
  /** The facade's default series store. */
  store?: SeriesStore;
  /** Collects every metric (SDK instruments + facade) through the pull reader. Set once an SDK runs. */
  collectMetrics?: () => Promise<import('@opentelemetry/sdk-metrics').ResourceMetrics>;
  /** Starts a minimal metrics SDK when the facade is used without register. */
  startMinimalSdk?: () => Promise<void>;
  /** True once register (or the minimal SDK) has started. */
  started?: 'register' | 'minimal';
  /** Named default instances (MetricsCollector, HealthChecker, ...). */
  singletons: Map<string, unknown>;
  /** Extra hooks other capabilities register (shutdown steps, etc.). */
  [key: string]: unknown;
}

const KEY = Symbol.for('@socketcomm/monitoring/state');

export function getState(): MonitoringState {
  const g = globalThis as unknown as Record<symbol, MonitoringState | undefined>;
  let s = g[KEY];
  if (s === undefined) {
    s = { singletons: new Map() };
    g[KEY] = s;
  }
  return s;
}

/** The process's default instance of a facade class, created on first use. */
export function singleton<T>(name: string, create: () => T): T {
  const s = getState().singletons;
  let v = s.get(name) as T | undefined;
  if (v === undefined) {
    v = create();
    s.set(name, v);
  }
  return v;
}
