import { AsyncLocalStorage } from 'node:async_hooks';
import { getState } from '../state.js';

/** What a request started with `logRequestStart` carries until `logRequestEnd`. */
export interface RequestContext {
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  /** `performance.now()` at start, for the end line's duration when none is given. */
  readonly startedAt: number;
  /** The start line's fields (already sanitized), repeated on the end line. */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** The async-local state of the logger: merged context fields and the current request. */
export interface LogScope {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly request?: RequestContext;
  readonly parent?: LogScope;
}

/**
 * One AsyncLocalStorage per process (on the shared state, so the ESM and CJS copies of the
 * package agree): context fields follow the async flow — `await`, timers, promise chains —
 * and never leak between concurrent requests.
 */
export function scopeStorage(): AsyncLocalStorage<LogScope> {
  return (getState().logging.scope ??= new AsyncLocalStorage<LogScope>());
}
