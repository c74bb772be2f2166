import type { AsyncLocalStorage } from 'node:async_hooks';
import type { IntervalHistogram } from 'node:perf_hooks';
import type { Resource } from '@opentelemetry/resources';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { PACKAGE_NAME, PACKAGE_VERSION } from './package-info.js';
import type { SeriesStore } from './metrics/store.js';
import type { ViewSpec } from './metrics/view-spec.js';
import type { MetricsCollector } from './metrics/collector.js';
import type { HealthChecker } from './health/health-checker.js';
import type { ReadinessChecker } from './health/readiness-checker.js';
import type { StructuredLogger } from './logging/logger.js';
import type { LogScope } from './logging/context.js';
import type { MonitoringSdk } from './sdk/start.js';
import type { InstrumentationStatus } from './sdk/instrumentation-status.js';
import type { HealthEndpoints } from './http/server.js';
import type { ClusterReadiness, WorkerStatus } from './cluster/leader.js';
import type { GaugeAggregation } from './cluster/wire.js';
import type { SpanStore } from './recent/spans.js';
import type { RecentLog } from './recent/logs.js';
import type { Ring } from './recent/ring.js';
import type { Sampler } from './ui/sampler.js';
import type { ProfilingState } from './profiling/session.js';
import type { ResolvedConfig } from './config/types.js';

/**
 * The version of the state's shape. Bump it when a field changes type or meaning (adding a
 * field does not need it): copies of the package with different versions then keep apart
 * instead of reading each other's fields wrongly, and the later one says so (see getState).
 */
export const STATE_VERSION = 1;

/** Where `/metrics` and exportPrometheus() get every metric from (see src/metrics/source.ts). */
export interface MetricsSource {
  collect(): Promise<ResourceMetrics>;
  /**
   * What `collect()` gives without the facade's series, which the caller then reads from the
   * shared store itself (a scrape writes them in slices, see src/metrics/scrape.ts). Unset: the
   * source has no facade series of its own to leave out (a cluster's merge).
   */
  collectApart?(): Promise<ResourceMetrics>;
  /** True while `collect()` gives this process's own metrics alone (a cluster's leader without workers). */
  alone?(): boolean;
}
/** Who installed a metrics source; the higher one serves (`cluster` over `sdk` over the facade alone). */
export type MetricsSourceOwner = 'sdk' | 'cluster';

/** What the routes show about the other processes of a cluster (set by the serving process). */
export interface ClusterView {
  /** Workers' readiness; undefined when this process has no workers. */
  readiness(): Promise<ClusterReadiness> | undefined;
  /** Every process, this one first; undefined when this process has no workers. */
  workers(): WorkerStatus[] | undefined;
}

export type ShutdownStep = () => Promise<void> | void;
/** `begin`: at once (readiness 503); `beforeSdk`: last data out before the SDK stops; `end`: after the flush. */
export type ShutdownPhase = 'begin' | 'beforeSdk' | 'end';

/**
 * Process-wide state shared by every copy of this package that a process loads (the ESM
 * build loaded by `--import`, and the CommonJS build a CJS app requires): it lives on a
 * global symbol so that `new MetricsCollector()` in either sees the SDK that register started.
 * Every field is declared here; each concern reads and writes its own group through the
 * accessors next to its code (metrics/source.ts, cluster/access.ts, shutdown.ts, ...).
 */
export interface MonitoringState {
  /** STATE_VERSION of the copy that created it (also part of the global key). */
  readonly version: number;
  /** The package version of the copy that created it (for messages). */
  readonly createdBy: string;
  /** The resolved, frozen configuration (src/config/), once something asked for it. */
  config: ResolvedConfig | undefined;
  sdk: {
    /** register (or the facade's minimal SDK) started it. */
    instance?: MonitoringSdk;
    mode?: 'register' | 'minimal';
    resource?: Resource;
    /** Starts the metrics-only SDK when the facade is used without register (set by the package entry). */
    startMinimal?: () => Promise<void>;
    /** register ran (once per process, whichever copy ran it). */
    registered: boolean;
    /** register put the ESM loader hook in place (the entry point is ESM). */
    esmEntry: boolean;
    /** Each instrumentation's state, for /status (set by register). */
    instrumentations?: () => InstrumentationStatus[];
  };
  metrics: {
    /** The facade's shared series store. */
    store?: SeriesStore;
    /** The installed sources, by owner: replaced only through setMetricsSource(). */
    sources: { [K in MetricsSourceOwner]?: MetricsSource };
    /** Views set by setViews() (src/metrics/views.ts); when unset, the configuration's apply. */
    views?: readonly ViewSpec[];
    /** How far tests moved the series store's clock (src/metrics/expiry.ts); unset otherwise. */
    clockOffsetMs?: number;
    /** Scrape passes over the data (src/metrics/scrape.ts): started, finished, stopped because every client left; steps run. */
    scrapes: { passes: number; finished: number; abandoned: number; steps: number };
  };
  /** The process's default instances (what `new X()` without `isolated` returns). */
  singletons: {
    MetricsCollector?: MetricsCollector;
    HealthChecker?: HealthChecker;
    ReadinessChecker?: ReadinessChecker;
    StructuredLogger?: StructuredLogger;
  };
  cluster: {
    role?: 'starting' | 'leader' | 'follower';
    view?: ClusterView;
    /** A follower's last snapshot to its leader, sent before the SDK stops. */
    final?: () => Promise<void>;
    /** Gauge aggregations declared in this process (setClusterGaugeAggregation). */
    aggregations: Record<string, GaugeAggregation>;
  };
  shutdown: {
    steps: Record<ShutdownPhase, ShutdownStep[]>;
    /** The running (or finished) sequence: one per process, whichever copy started it. */
    running?: Promise<void>;
    shuttingDown: boolean;
    signalsInstalled: boolean;
    /** The final flush of a process that ends on its own is installed (installExitFlush). */
    exitFlushInstalled?: boolean;
  };
  /** The monitoring server register started. */
  server: { endpoints?: HealthEndpoints };
  logging: {
    scope?: AsyncLocalStorage<LogScope>;
    /** register configured a log exporter (undefined without register). */
    exporting?: boolean;
  };
  health: {
    loopHistogram?: IntervalHistogram;
    loopResetAt: number;
    /** The longest stall past the unhealthy threshold the event_loop check read, and when (ms). */
    loopStall?: { maxMs: number; p99Ms: number; at: number };
  };
  recent: {
    spans?: SpanStore;
    logs?: Ring<RecentLog>;
  };
  ui: { sampler?: Sampler };
  /** CPU and heap profiles on demand (src/profiling/). */
  profiling: ProfilingState;
  report: {
    /** Messages already warned about (one warning per message per process). */
    seen: Set<string>;
  };
}

const KEY_PREFIX = `${PACKAGE_NAME}/state`;
const KEY = Symbol.for(`${KEY_PREFIX}@${STATE_VERSION}`);

type Global = { [KEY]?: MonitoringState } & Record<symbol, unknown>;

function createState(): MonitoringState {
  return {
    version: STATE_VERSION,
    createdBy: PACKAGE_VERSION,
    config: undefined,
    sdk: { registered: false, esmEntry: false },
    metrics: { sources: {}, scrapes: { passes: 0, finished: 0, abandoned: 0, steps: 0 } },
    singletons: {},
    cluster: { aggregations: {} },
    shutdown: { steps: { begin: [], beforeSdk: [], end: [] }, shuttingDown: false, signalsInstalled: false },
    server: {},
    logging: {},
    health: { loopResetAt: 0 },
    recent: {},
    ui: {},
    profiling: { sessionOpen: false, nextId: 1, latest: {} },
    report: { seen: new Set() },
  };
}

/**
 * A state made by an older copy of the same STATE_VERSION may lack groups or fields added
 * since: add them (never replace what is there). One level deep, as the groups are.
 */
function complete(s: MonitoringState): void {
  const fresh = createState() as unknown as Record<string, unknown>;
  const target = s as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(fresh)) {
    const have = target[k];
    if (!(k in target)) target[k] = v;
    else if (have !== null && typeof have === 'object' && v !== null && typeof v === 'object' && !(v instanceof Set)) {
      const group = have as Record<string, unknown>;
      for (const [f, d] of Object.entries(v)) if (!(f in group)) group[f] = d;
    }
  }
}

/**
 * Another copy of this package with a different state version (or one from before the key
 * carried a version) keeps its own state: the two would each serve half of the metrics and
 * fight over the port. Said once per process, on Node's warning channel (diag may not be set up).
 */
function reportForeignCopies(g: Global, s: MonitoringState): void {
  for (const sym of Object.getOwnPropertySymbols(g)) {
    const d = sym.description;
    if (sym === KEY || d === undefined || !(d === KEY_PREFIX || d.startsWith(`${KEY_PREFIX}@`))) continue;
    if (s.report.seen.has(d)) continue;
    s.report.seen.add(d);
    const other = g[sym] as { createdBy?: unknown } | undefined;
    const which = typeof other?.createdBy === 'string' ? `version ${other.createdBy}` : 'an older version';
    process.emitWarning(
      `another copy of ${PACKAGE_NAME} (${which}, state ${d.slice(KEY_PREFIX.length + 1) || 'unversioned'}) is loaded ` +
        `besides ${PACKAGE_VERSION} (state ${STATE_VERSION}); they share no metrics, checks or server. ` +
        `Install one version (npm ls ${PACKAGE_NAME}).`,
      'MonitoringWarning',
    );
  }
}

let resolved: MonitoringState | undefined;

/** The process's state (created by the first copy of the package that asks). */
export function getState(): MonitoringState {
  if (resolved !== undefined) return resolved;
  const g = globalThis as unknown as Global;
  let s = g[KEY];
  if (s === undefined) {
    s = createState();
    g[KEY] = s;
  } else complete(s);
  reportForeignCopies(g, s);
  return (resolved = s);
}

/** The process's default instance of a facade class, created on first use. */
export function singleton<K extends keyof MonitoringState['singletons']>(
  name: K,
  create: () => NonNullable<MonitoringState['singletons'][K]>,
): NonNullable<MonitoringState['singletons'][K]> {
  const s = getState().singletons;
  return (s[name] ??= create());
}
