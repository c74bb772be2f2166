import { context, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { defaultMetrics } from '../metrics/collector.js';
import { describe, invalidArgument } from '../util/report.js';
import { maskDsn } from './mask.js';
import { normalizeOutcome, statusValue, worst, type HealthCheckResult, type HealthStatus } from './status.js';
import { PACKAGE_NAME } from '../package-info.js';

/** One registered check. `run` gets an AbortSignal that fires when the run times out. */
export interface Entry {
  name: string;
  run: (signal: AbortSignal) => unknown;
  timeoutMs: number;
  critical: boolean;
  /** Scrubs secrets (a DSN's password) out of messages before they are stored or exported. */
  sanitize?: (text: string) => string;
  /** Run with tracing suppressed: our own driver connections must not make spans of their own. */
  suppress?: boolean;
  details?: Record<string, unknown>;
}

/** Metric and span names a registry reports under (kept stable: dashboards use them). */
export interface TelemetryNames {
  gauge: string;
  histogram: string;
  attribute: string;
  span: string;
  /** Gauge value for a status (health: 1/0.5/0; readiness: 1 ready, 0 not). */
  value: (s: HealthStatus) => number;
}

const TIMEOUT = Symbol('timeout');
interface RunHandle {
  foreground: boolean;
  timer?: NodeJS.Timeout;
}
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
export const DEFAULT_TIMEOUT_MS = 5000;
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return typeof err === 'string' ? err : describe(err);
}

/** Apply `sanitize` to every string inside plain objects and arrays (bounded depth). */
function scrubValues(v: unknown, sanitize: (s: string) => string, depth: number): unknown {
  if (typeof v === 'string') return sanitize(v);
  if (depth > 8 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => scrubValues(x, sanitize, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = scrubValues(x, sanitize, depth + 1);
  return out;
}

export function validName(owner: string, name: unknown): name is string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 200 || name === '__proto__') {
    invalidArgument(`${owner}: name must be a non-empty string of up to 200 characters, got ${describe(name)}`);
    return false;
  }
  return true;
}

export function validTimeout(owner: string, v: unknown, fallback = DEFAULT_TIMEOUT_MS): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !(v > 0) || v > MAX_TIMEOUT_MS) {
    invalidArgument(`${owner}: timeoutMs must be a positive number of milliseconds, got ${describe(v)}; using ${fallback}`);
    return fallback;
  }
  return v;
}

/**
 * What HealthChecker and ReadinessChecker share: named checks with per-check timeouts, runs
 * that coalesce (a probe storm never starts a second run of a check already running), the
 * latest result of each check, background runs that never overlap, and telemetry per run.
 */
export class CheckRegistry {
  protected readonly entries = new Map<string, Entry>();
  private readonly latest = new Map<string, HealthCheckResult>();
  private readonly inflight = new Map<string, { promise: Promise<HealthCheckResult>; run: RunHandle }>();
  private background: { intervalMs: number; timer?: NodeJS.Timeout } | undefined;

  constructor(
    private readonly owner: string,
    private readonly names: TelemetryNames,
  ) {
    try {
      const metrics = defaultMetrics();
      metrics.declareGauge(names.gauge, { description: `${owner} status per check` });
      metrics.declareHistogram(names.histogram, { unit: 's', description: `${owner} check duration`, buckets: DURATION_BUCKETS });
    } catch {
      // declaring is best effort; recording still works with defaults
    }
  }

  protected add(entry: Entry): void {
    this.entries.set(entry.name, entry);
    this.latest.delete(entry.name);
  }

  /** Remove a check; returns whether it existed. */
  removeCheck(name: string): boolean {
    this.latest.delete(name);
    return this.entries.delete(name);
  }

  /** Names of the registered checks. */
  listChecks(): string[] {
    return [...this.entries.keys()];
  }

  /** Run one check now (or join the run already in flight). */
  async runCheck(name: string): Promise<HealthCheckResult> {
    return this.start(name, true);
  }

  /**
   * Start (or join) a run. A caller awaiting a result holds the process for at most the
   * check's timeout (its timer is ref'd); a background run holds nothing (unref'd).
   */
  private start(name: string, foreground: boolean): Promise<HealthCheckResult> {
    const entry = this.entries.get(name);
    if (!entry) {
      invalidArgument(`${this.owner}.runCheck: no check named ${describe(name)}`);
      return Promise.resolve({ name: String(name), status: 'unhealthy', message: 'no such check', durationMs: 0, timestamp: Date.now() });
    }
    let rec = this.inflight.get(name);
    if (!rec) {
      const run: RunHandle = { foreground };
      rec = { run, promise: this.execute(entry, run).finally(() => this.inflight.delete(name)) };
      this.inflight.set(name, rec);
    } else if (foreground && !rec.run.foreground) {
      rec.run.foreground = true;
      rec.run.timer?.ref();
    }
    return rec.promise;
  }

  /** Run every check concurrently; each is bounded by its own timeout. */
  async runAllChecks(): Promise<Record<string, HealthCheckResult>> {
    return this.runAll(true);
  }

  private async runAll(foreground: boolean): Promise<Record<string, HealthCheckResult>> {
    const names = [...this.entries.keys()];
    const results = await Promise.all(names.map((n) => this.start(n, foreground)));
    const out: Record<string, HealthCheckResult> = {};
    for (const r of results) out[r.name] = r;
    return out;
  }

  /** The latest result of one check, if it has run (no check is run). */
  getLastResult(name: string): HealthCheckResult | undefined {
    return this.latest.get(name);
  }

  /** The latest result of every check that has run (no check is run). */
  getLastResults(): Record<string, HealthCheckResult> {
    const out: Record<string, HealthCheckResult> = {};
    for (const name of this.entries.keys()) {
      const r = this.latest.get(name);
      if (r) out[name] = r;
    }
    return out;
  }

  /**
   * What a probe should answer from: with background checks running, the latest results (O(1)),
   * running only checks that have no result yet; otherwise a (coalesced) run of every check.
   */
  async currentResults(): Promise<Record<string, HealthCheckResult>> {
    if (!this.background) return this.runAllChecks();
    const out = this.getLastResults();
    const missing = [...this.entries.keys()].filter((n) => !(n in out));
    if (missing.length > 0) for (const r of await Promise.all(missing.map((n) => this.runCheck(n)))) out[r.name] = r;
    return out;
  }

  /**
   * Worst status of the critical checks; a failing non-critical check makes it DEGRADED.
   * Uses `results` when given, else the latest results (checks that never ran are not counted).
   */
  getOverallStatus(results: Record<string, HealthCheckResult> = this.getLastResults()): HealthStatus {
    let overall: HealthStatus = 'healthy';
    for (const r of Object.values(results)) {
      const entry = this.entries.get(r.name);
      if (!entry) continue;
      overall = worst(overall, entry.critical || r.status === 'healthy' ? r.status : 'degraded');
    }
    return overall;
  }

  /** Run every check now and then every `intervalMs` (default 30000); runs never overlap. */
  startBackgroundChecks(options: { intervalMs?: number } = {}): void {
    if (options === null || typeof options !== 'object') {
      invalidArgument(`${this.owner}.startBackgroundChecks: options must be { intervalMs }, got ${describe(options)}`);
      options = {};
    }
    let intervalMs = options.intervalMs ?? 30_000;
    if (typeof intervalMs !== 'number' || !(intervalMs >= 10) || intervalMs > MAX_TIMEOUT_MS) {
      invalidArgument(
        `${this.owner}.startBackgroundChecks: intervalMs must be a number of milliseconds >= 10, got ${describe(intervalMs)}; using 30000`,
      );
      intervalMs = 30_000;
    }
    if (this.background) {
      this.background.intervalMs = intervalMs;
      return;
    }
    const bg: { intervalMs: number; timer?: NodeJS.Timeout } = { intervalMs };
    this.background = bg;
    const loop = async (): Promise<void> => {
      await this.runAll(false).catch(() => {});
      if (this.background !== bg) return;
      bg.timer = setTimeout(() => void loop(), bg.intervalMs);
      bg.timer.unref();
    };
    void loop();
  }

  stopBackgroundChecks(): void {
    if (this.background?.timer) clearTimeout(this.background.timer);
    this.background = undefined;
  }

  isBackgroundRunning(): boolean {
    return this.background !== undefined;
  }

  private async execute(entry: Entry, run: RunHandle): Promise<HealthCheckResult> {
    const tracer = trace.getTracer(PACKAGE_NAME);
    const span = tracer.startSpan(this.names.span, { attributes: { [this.names.attribute]: entry.name } });
    const started = performance.now();
    const ac = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    let outcome: { status: HealthStatus; message: string; details?: Record<string, unknown> };
    try {
      let ctx: Context = trace.setSpan(context.active(), span);
      if (entry.suppress) ctx = suppressTracing(ctx);
      let pending: unknown;
      try {
        pending = context.with(ctx, () => entry.run(ac.signal));
      } catch (err) {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- tagged for the catch below, never escapes
        throw { threw: err };
      }
      const timeout = new Promise<typeof TIMEOUT>((resolve) => {
        timer = setTimeout(() => resolve(TIMEOUT), entry.timeoutMs);
        run.timer = timer;
        if (!run.foreground) timer.unref();
      });
      let out: unknown;
      try {
        out = await Promise.race([Promise.resolve(pending), timeout]);
      } catch (err) {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- tagged for the catch below, never escapes
        throw { rejected: err };
      }
      if (out === TIMEOUT) {
        ac.abort();
        outcome = { status: 'unhealthy', message: `check timed out after ${entry.timeoutMs} ms` };
      } else {
        outcome = normalizeOutcome(out);
      }
    } catch (wrapped) {
      const w = wrapped as { threw?: unknown; rejected?: unknown };
      outcome =
        'threw' in w
          ? { status: 'unhealthy', message: `check threw: ${errorText(w.threw)}` }
          : { status: 'unhealthy', message: `check rejected: ${errorText(w.rejected)}` };
    } finally {
      clearTimeout(timer);
    }
    const durationMs = performance.now() - started;
    // Messages come from drivers and user code: a URL with credentials in one is masked.
    const sanitize = entry.sanitize ?? maskDsn;
    const message = sanitize(outcome.message);
    const details = entry.details || outcome.details ? { ...entry.details, ...outcome.details } : undefined;
    const result: HealthCheckResult = { name: entry.name, status: outcome.status, message, durationMs, timestamp: Date.now() };
    if (details) result.details = scrubValues(details, sanitize, 0) as Record<string, unknown>;
    // Only the current registration's result is kept (it may have been replaced while running).
    if (this.entries.get(entry.name) === entry) this.latest.set(entry.name, result);
    this.report(result, span);
    return result;
  }

  /** Telemetry must never turn a check result into an exception. */
  private report(result: HealthCheckResult, span: ReturnType<ReturnType<typeof trace.getTracer>['startSpan']>): void {
    try {
      const attrs = { [this.names.attribute]: result.name };
      const metrics = defaultMetrics();
      metrics.recordGauge(this.names.gauge, this.names.value(result.status), attrs);
      metrics.recordHistogram(this.names.histogram, result.durationMs / 1000, attrs);
      span.setAttribute(`${this.names.span}.status`, result.status);
      if (result.status !== 'healthy')
        span.setStatus({ code: result.status === 'unhealthy' ? SpanStatusCode.ERROR : SpanStatusCode.UNSET, message: result.message });
      span.end();
    } catch {
      // ignore: a broken exporter or store must not affect the check
    }
  }
}

export { statusValue };
