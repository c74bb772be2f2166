import { context, trace, SpanStatusCode, type Exception, type Span, type Tracer } from '@opentelemetry/api';
import type { BoundCounter, BoundHistogram } from '../metrics/collector.js';
import { hasUrlCredentials, maskUrlCredentials } from '../util/redact.js';
import { attachContext } from './attach.js';
import '../util/dispose.js';

/** The bound metric series of one operation name (resolved once, then plain field updates). */
export interface OperationMetrics {
  success: BoundHistogram;
  error: BoundHistogram;
  errors: BoundCounter;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
}

/** Record `err` on the span without ever throwing and without leaking URL credentials. */
export function recordError(span: Span, err: unknown): void {
  try {
    let exception: Exception;
    if (err instanceof Error) {
      const msg = err.message;
      const stack = err.stack;
      exception =
        (typeof msg === 'string' && hasUrlCredentials(msg)) || (typeof stack === 'string' && hasUrlCredentials(stack))
          ? { name: err.name, message: maskUrlCredentials(msg), stack: stack && maskUrlCredentials(stack) }
          : err;
    } else if (err !== null && typeof err === 'object') {
      exception = err as Exception;
    } else {
      exception = maskUrlCredentials(String(err));
    }
    span.recordException(exception);
    const message = typeof exception === 'string' ? exception : exception.message;
    span.setStatus({ code: SpanStatusCode.ERROR, message: typeof message === 'string' ? message : undefined });
  } catch {
    // A telemetry failure never reaches the caller.
  }
}

function finish(span: Span, metrics: OperationMetrics, t0: number, err: unknown, failed: boolean): void {
  const seconds = (performance.now() - t0) / 1000;
  if (failed) {
    recordError(span, err);
    metrics.error.record(seconds);
    metrics.errors.add(1);
  } else {
    metrics.success.record(seconds);
  }
  span.end();
}

/**
 * Run `fn` as one tracked operation: a span active while it runs, ended when it returns,
 * throws, resolves or rejects; the error is rethrown unchanged (a promise result is replaced
 * by one that settles the same way after the span ends).
 */
export function runTracked<R>(
  tracer: Tracer,
  name: string,
  metrics: OperationMetrics,
  fn: (...args: never[]) => R,
  thisArg: unknown,
  args: ArrayLike<unknown>,
): R {
  const parent = context.active();
  const span = tracer.startSpan(name, undefined, parent);
  const t0 = performance.now();
  let result: R;
  try {
    // Reflect.apply with fixed arguments: no bind() for `this`, no spread of `arguments`.
    result = context.with(trace.setSpan(parent, span), Reflect.apply, undefined, fn, thisArg, args) as R;
  } catch (err) {
    finish(span, metrics, t0, err, true);
    throw err;
  }
  if (isThenable(result)) {
    return result.then(
      (value) => {
        finish(span, metrics, t0, undefined, false);
        return value;
      },
      (err: unknown) => {
        finish(span, metrics, t0, err, true);
        throw err;
      },
    ) as R;
  }
  finish(span, metrics, t0, undefined, false);
  return result;
}

/**
 * A tracked operation held by `using` / `await using`: the span starts when the handle is
 * created, is the active span for the rest of the block, and ends when the block exits.
 * `using` cannot see an exception thrown in the block, so call `fail(err)` in a catch to mark
 * the outcome as an error (the handle then records the exception and status ERROR).
 */
export interface TrackedOperation {
  readonly name: string;
  readonly span: Span;
  /** Mark the operation as failed with `error`; recorded when the handle ends. */
  fail(error: unknown): void;
  /** End the span and record the duration (idempotent; dispose calls it). */
  end(): void;
  [Symbol.dispose](): void;
  [Symbol.asyncDispose](): Promise<void>;
}

export function startOperation(tracer: Tracer, name: string, metrics: OperationMetrics): TrackedOperation {
  const parent = context.active();
  const span = tracer.startSpan(name, undefined, parent);
  const detach = attachContext(trace.setSpan(parent, span));
  const t0 = performance.now();
  let failed = false;
  let error: unknown;
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    detach();
    finish(span, metrics, t0, error, failed);
  };
  return {
    name,
    span,
    fail(err: unknown) {
      failed = true;
      error = err;
    },
    end,
    [Symbol.dispose]: end,
    [Symbol.asyncDispose]: () => {
      end();
      return Promise.resolve();
    },
  };
}
