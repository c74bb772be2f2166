import { trace, type Tracer } from '@opentelemetry/api';
import { brand, isBranded } from '../util/brand.js';
import { defaultMetrics, MetricsCollector } from '../metrics/collector.js';
import { describe, invalidArgument } from '../util/report.js';
import { runTracked, startOperation, type OperationMetrics, type TrackedOperation } from './operation.js';
import { PACKAGE_NAME } from '../package-info.js';

export type { TrackedOperation } from './operation.js';

/** The instrumentation scope of every span this package creates. */
export const TRACER_NAME = PACKAGE_NAME;

// Names shared with the Grafana dashboards: do not rename.
const DURATION = 'operation.duration';
const ERRORS = 'operation.errors';
// Seconds; the OTel semantic-convention advisory buckets for durations, plus 1 ms.
const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
// Operation names come from code; a cap keeps a caller that builds names dynamically from
// growing the cache without bound (the metric store has its own cardinality limit).
const MAX_CACHED = 2000;

export interface PerformanceTrackerOptions {
  /** Where durations and error counts go; the process's shared collector by default. */
  metrics?: MetricsCollector;
}

type AnyFunction = (...args: never[]) => unknown;

/**
 * Tracked operations as OTel spans plus `operation.duration` / `operation.errors` metrics.
 * Every form (wrapper, decorator, block, `using` handle) makes one span named after the
 * operation, active while it runs, with the exception and status ERROR on throw/reject.
 * Methods are bound, so `@tracker.trackPerformance` and passing them around both work.
 */
export class PerformanceTracker {
  static [Symbol.hasInstance](x: unknown): boolean {
    return isBranded(this, PerformanceTracker, 'PerformanceTracker', x);
  }

  private readonly metrics: MetricsCollector;
  private readonly tracer: Tracer;
  private readonly cache = new Map<string, OperationMetrics>();

  constructor(options: PerformanceTrackerOptions = {}) {
    brand(this, 'PerformanceTracker');
    if (options === null || typeof options !== 'object') {
      invalidArgument(`PerformanceTracker: options must be an object, got ${describe(options)}`);
      options = {};
    }
    let metrics = options.metrics;
    // Under register the shared collector may be the CJS bundle's class, not this copy's.
    if (
      metrics !== undefined &&
      !(metrics instanceof MetricsCollector || typeof (metrics as Partial<MetricsCollector> | undefined)?.counter === 'function')
    ) {
      invalidArgument(`PerformanceTracker: options.metrics must be a MetricsCollector, got ${describe(metrics)}`);
      metrics = undefined;
    }
    this.metrics = metrics ?? defaultMetrics();
    this.metrics.declareHistogram(DURATION, {
      unit: 's',
      description: 'Duration of tracked operations, by operation and outcome.',
      buckets: BUCKETS,
    });
    this.metrics.declareCounter(ERRORS, { description: 'Tracked operations that threw or rejected, by operation.' });
    this.tracer = trace.getTracer(TRACER_NAME);
    this.trackPerformance = this.trackPerformance.bind(this);
    this.trackAsyncPerformance = this.trackAsyncPerformance.bind(this);
  }

  /** Wrap a function: same `this`, arguments, return value, `name` and `length`. */
  trackPerformance<F extends AnyFunction>(fn: F): F;
  /** Standard (TS 5+) decorator on a class method: `@tracker.trackPerformance`. */
  trackPerformance<This, Args extends unknown[], R>(
    method: (this: This, ...args: Args) => R,
    context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => R>,
  ): (this: This, ...args: Args) => R;
  /** Block form: run `fn` (sync or async) as the operation `name`; returns what `fn` returns. */
  trackPerformance<R>(name: string, fn: () => R): R;
  /** A handle for `using` / `await using`: the span ends when the block exits. */
  trackPerformance(name: string): TrackedOperation;
  trackPerformance(a: unknown, b?: unknown): unknown {
    return this.dispatch('trackPerformance', a, b);
  }

  /** The same as `trackPerformance` (which handles promises too); kept for the name PySocketCommLib's Python monitoring module uses. */
  trackAsyncPerformance<F extends AnyFunction>(fn: F): F;
  trackAsyncPerformance<This, Args extends unknown[], R>(
    method: (this: This, ...args: Args) => R,
    context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => R>,
  ): (this: This, ...args: Args) => R;
  trackAsyncPerformance<R>(name: string, fn: () => R): R;
  trackAsyncPerformance(name: string): TrackedOperation;
  trackAsyncPerformance(a: unknown, b?: unknown): unknown {
    return this.dispatch('trackAsyncPerformance', a, b);
  }

  private dispatch(method: string, a: unknown, b: unknown): unknown {
    if (typeof a === 'function') {
      if (b === undefined) return this.wrap(a as AnyFunction, a.name || 'anonymous');
      if (isMethodContext(b)) {
        if (b.kind !== 'method') {
          invalidArgument(`${method} decorates methods only, not a ${b.kind}; left undecorated`);
          return undefined;
        }
        return this.wrap(a as AnyFunction, String(b.name));
      }
      invalidArgument(`${method}(fn, x): the second argument must be a decorator context, got ${describe(b)}`);
      return this.wrap(a as AnyFunction, a.name || 'anonymous');
    }
    if (typeof a === 'string' && a.length > 0) {
      if (b === undefined) return startOperation(this.tracer, a, this.metricsFor(a));
      if (typeof b === 'function') return runTracked(this.tracer, a, this.metricsFor(a), b as AnyFunction, undefined, []);
      invalidArgument(`${method}("${a}", fn): fn must be a function, got ${describe(b)}`);
      return startOperation(this.tracer, a, this.metricsFor(a));
    }
    invalidArgument(`${method}: expected a function or a non-empty operation name, got ${describe(a)}`);
    // A caller that passed garbage still gets something usable: run the callback untracked
    // or a handle on a span named "invalid".
    if (typeof b === 'function') return (b as () => unknown)();
    return startOperation(this.tracer, 'invalid', this.metricsFor('invalid'));
  }

  private wrap<F extends AnyFunction>(fn: F, name: string): F {
    const tracer = this.tracer;
    const metrics = this.metricsFor(name);
    const tracked = function (this: unknown) {
      // eslint-disable-next-line prefer-rest-params -- `arguments` avoids a rest array per call
      return runTracked(tracer, name, metrics, fn, this, arguments);
    };
    Object.defineProperty(tracked, 'name', { value: fn.name, configurable: true });
    Object.defineProperty(tracked, 'length', { value: fn.length, configurable: true });
    return tracked as unknown as F;
  }

  private metricsFor(name: string): OperationMetrics {
    let m = this.cache.get(name);
    if (m === undefined) {
      m = {
        success: this.metrics.histogram(DURATION, { operation: name, outcome: 'success' }),
        error: this.metrics.histogram(DURATION, { operation: name, outcome: 'error' }),
        errors: this.metrics.counter(ERRORS, { operation: name }),
      };
      if (this.cache.size < MAX_CACHED) this.cache.set(name, m);
    }
    return m;
  }
}

function isMethodContext(v: unknown): v is { kind: string; name: string | symbol } {
  return v !== null && typeof v === 'object' && typeof (v as { kind?: unknown }).kind === 'string' && 'name' in v;
}
