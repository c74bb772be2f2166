import { getConfig } from '../config/index.js';
import type * as Crypto from 'node:crypto';
import { builtin } from '../util/builtin.js';
import { brand, isBranded } from '../util/brand.js';
import { context, trace } from '@opentelemetry/api';
import { MetricsCollector } from '../metrics/collector.js';
import { singleton } from '../state.js';
import { onShutdown } from '../shutdown.js';
import { describe, invalidArgument } from '../util/report.js';
import { enterScoped } from '../util/dispose.js';
import { recordError } from '../tracing/operation.js';
import { CRITICAL, DEBUG, ERROR, INFO, WARNING, parseLevel, type LevelInfo, type LogLevel } from './levels.js';
import { LogCore, type LogDestination } from './core.js';
import { scopeStorage, type LogScope, type RequestContext } from './context.js';
import { maskString } from './sanitize.js';

export type { RequestContext } from './context.js';
export type { LogDestination } from './core.js';

export type LogFields = Record<string, unknown>;

export interface StructuredLoggerOptions {
  /** Fields on every line of this logger. Alone, they derive a child of the default logger. */
  fields?: LogFields;
  /** Any option below makes an independent logger instead of a child of the default one. */
  isolated?: boolean;
  /** Minimum level (default: MONITORING_LOG_LEVEL, else info). `string & {}` keeps editors offering the LogLevel names. */
  level?: LogLevel | (string & {});
  /** Share of debug/info lines kept, 0..1 (default 1). */
  samplingRate?: number;
  /** Keys whose values print as [REDACTED]; replaces the default list (DEFAULT_REDACT_KEYS). */
  redactKeys?: readonly string[];
  /** Default: stdout (synchronous writes, as pino's default). */
  destination?: LogDestination;
  /** The `service` field; default OTEL_SERVICE_NAME, else the resource's service.name. */
  service?: string;
  /** Force emitting to the OTel Logs API on/off (default: when a log exporter is configured). */
  otel?: boolean;
}

/** A `using` handle: the context's fields apply until the block exits. */
export interface LogContextHandle {
  [Symbol.dispose](): void;
}

/**
 * JSON-lines logger on pino, correlated with the active span (trace_id, span_id,
 * trace_flags), exported through the OTel Logs SDK when configured, sampled per trace and
 * redacted by default. `new StructuredLogger()` is the process's default instance.
 */
export class StructuredLogger {
  static [Symbol.hasInstance](x: unknown): boolean {
    return isBranded(this, StructuredLogger, 'StructuredLogger', x);
  }

  private core!: LogCore;
  private bound: Readonly<LogFields> | undefined;

  constructor(options: StructuredLoggerOptions = {}) {
    brand(this, 'StructuredLogger');
    if (options === null || typeof options !== 'object') {
      invalidArgument(`StructuredLogger: options must be an object, got ${describe(options)}`);
      options = {};
    }
    const independent =
      options.isolated === true ||
      Object.keys(options).some((k) => k !== 'fields' && k !== 'isolated' && (options as Record<string, unknown>)[k] !== undefined);
    if (!independent) {
      const shared = singleton('StructuredLogger', () => this);
      if (shared !== this) return options.fields === undefined ? shared : shared.child(options.fields);
    }
    this.core = new LogCore({
      destination: options.destination,
      redactKeys: validKeys(options.redactKeys),
      service: typeof options.service === 'string' && options.service ? options.service : undefined,
      otel: typeof options.otel === 'boolean' ? options.otel : undefined,
    });
    this.setLevel(options.level ?? getConfig().monitoring.logLevel);
    if (options.samplingRate !== undefined) this.setSamplingRate(options.samplingRate);
    this.bound = this.sanitizeFields(options.fields, 'fields');
    if (options.destination === undefined) {
      const core = this.core;
      onShutdown('end', () => core.flush());
    }
  }

  /** A logger adding `fields` to every line; shares level, sampling and destination. */
  child(fields: LogFields): StructuredLogger {
    const c = Object.create(StructuredLogger.prototype) as StructuredLogger;
    brand(c, 'StructuredLogger');
    c.core = this.core;
    const own = this.sanitizeFields(fields, 'child(fields)');
    c.bound = this.bound || own ? { ...this.bound, ...own } : undefined;
    return c;
  }

  debug(message: string, fields?: LogFields): void {
    this.core.write(DEBUG, message, fields, this.bound);
  }
  info(message: string, fields?: LogFields): void {
    this.core.write(INFO, message, fields, this.bound);
  }
  warning(message: string, fields?: LogFields): void {
    this.core.write(WARNING, message, fields, this.bound);
  }
  /** Alias of `warning`. */
  warn(message: string, fields?: LogFields): void {
    this.core.write(WARNING, message, fields, this.bound);
  }
  error(message: string, fields?: LogFields): void {
    this.core.write(ERROR, message, fields, this.bound);
  }
  critical(message: string, fields?: LogFields): void {
    this.core.write(CRITICAL, message, fields, this.bound);
  }

  /**
   * An error line with `exception.type`, `exception.message` and `exception.stacktrace`
   * (credentials masked); the active span also gets the exception event.
   */
  exception(message: string, error: unknown, fields?: LogFields): void {
    const e = this.core.sanitizer.value(error, 1, []);
    const extra: LogFields = {};
    if (e !== null && typeof e === 'object' && !Array.isArray(e) && 'message' in e) {
      const r = e as Record<string, unknown>;
      extra['exception.type'] = r.type;
      extra['exception.message'] = r.message;
      if (r.stack !== undefined) extra['exception.stacktrace'] = r.stack;
    } else {
      extra['exception.type'] = typeof error;
      extra['exception.message'] = typeof e === 'string' ? e : (JSON.stringify(e) ?? String(e));
    }
    const span = trace.getSpan(context.active());
    if (span !== undefined) {
      try {
        span.addEvent('exception', {
          'exception.type': String(extra['exception.type']),
          'exception.message': String(extra['exception.message']),
          // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a stack is whatever the error carried
          ...(extra['exception.stacktrace'] !== undefined ? { 'exception.stacktrace': String(extra['exception.stacktrace']) } : {}),
        });
      } catch {
        recordError(span, error);
      }
    }
    this.core.write(ERROR, message, fields, this.bound, extra);
  }

  setLevel(level: LogLevel | (string & {})): void {
    const info = parseLevel(level);
    if (info === undefined) {
      invalidArgument(`setLevel: unknown level ${describe(level)}; use LogLevel.DEBUG/INFO/WARNING/ERROR/CRITICAL`);
      return;
    }
    this.core.minLevel = info.value;
  }
  getLevel(): LogLevel {
    return ([DEBUG, INFO, WARNING, ERROR, CRITICAL].find((l) => l.value === this.core.minLevel) ?? INFO).name;
  }

  /**
   * Keep about `rate` of debug/info lines; warning and above are always kept. Inside a trace
   * the decision comes from the trace id, so a trace's lines are kept or dropped together.
   */
  setSamplingRate(rate: number): void {
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
      invalidArgument(`setSamplingRate: rate must be a number in 0..1, got ${describe(rate)}; unchanged`);
      return;
    }
    this.core.rate = rate;
  }

  /** Count written lines by level as `log.records{level}` in `metrics` (null stops). */
  setMetricsIntegration(metrics: MetricsCollector | null): void {
    // Under register the shared collector may be the CJS bundle's class, not this copy's.
    if (
      metrics !== null &&
      !(metrics instanceof MetricsCollector || typeof (metrics as Partial<MetricsCollector> | undefined)?.counter === 'function')
    ) {
      invalidArgument(`setMetricsIntegration: expected a MetricsCollector, got ${describe(metrics)}`);
      return;
    }
    this.core.setMetrics(metrics);
  }

  /** Run `fn` with `fields` on every line inside it, across awaits; nested contexts merge. */
  context<R>(fields: LogFields, fn: () => R): R;
  /** The `using` form: `using _ = logger.context({ request_id })`. */
  context(fields: LogFields): LogContextHandle;
  context<R>(fields: LogFields, fn?: () => R): R | LogContextHandle {
    const als = scopeStorage();
    const parent = als.getStore();
    const own = this.sanitizeFields(fields, 'context(fields)');
    const scope: LogScope = { fields: { ...parent?.fields, ...own }, request: parent?.request, parent };
    if (fn !== undefined) {
      if (typeof fn === 'function') return als.run(scope, fn);
      invalidArgument(`context(fields, fn): fn must be a function, got ${describe(fn)}`);
    }
    const exit = enterScoped(als, scope);
    return { [Symbol.dispose]: exit };
  }

  /**
   * Log the start of a request and make its fields (request_id, method, path and `fields`)
   * the context of every following line in this async flow until `logRequestEnd`.
   */
  logRequestStart(method: string, path: string, fields?: LogFields): RequestContext {
    if (typeof method !== 'string') invalidArgument(`logRequestStart: method must be a string, got ${describe(method)}`);
    if (typeof path !== 'string') invalidArgument(`logRequestStart: path must be a string, got ${describe(path)}`);
    const own = this.sanitizeFields(fields, 'logRequestStart(fields)') ?? {};
    const given = own.request_id ?? own.requestId;
    const requestId = typeof given === 'string' && given ? given : builtin<typeof Crypto>('node:crypto').randomUUID();
    const m = String(method);
    const p = maskString(String(path));
    const startFields = { request_id: requestId, method: m, path: p, ...own };
    const request: RequestContext = { requestId, method: m, path: p, startedAt: performance.now(), fields: startFields };
    const als = scopeStorage();
    const parent = als.getStore();
    als.enterWith({ fields: { ...parent?.fields, ...startFields }, request, parent });
    this.core.write(INFO, 'Request started', undefined, this.bound);
    return request;
  }

  /**
   * Log the end of the request started in this async flow (or of `request`): the start's
   * fields plus status_code, duration_ms (measured when not given) and response_size; level
   * error for 5xx, warning for 4xx.
   */
  logRequestEnd(statusCode: number, durationMs?: number, responseSize?: number, request?: RequestContext): void {
    const als = scopeStorage();
    const scope = als.getStore();
    const req = request ?? findRequest(scope);
    const extra: LogFields = { ...req?.fields };
    if (validNumber(statusCode, 'logRequestEnd: statusCode')) extra.status_code = statusCode;
    if (durationMs !== undefined) {
      if (validNumber(durationMs, 'logRequestEnd: durationMs')) extra.duration_ms = durationMs;
    } else if (req !== undefined) {
      extra.duration_ms = Math.round((performance.now() - req.startedAt) * 1000) / 1000;
    }
    if (responseSize !== undefined && validNumber(responseSize, 'logRequestEnd: responseSize')) extra.response_size = responseSize;
    const level = statusCode >= 500 ? ERROR : statusCode >= 400 ? WARNING : INFO;
    this.core.write(level, 'Request completed', undefined, this.bound, extra);
    // Leave the request's scope when we are still in it.
    if (scope !== undefined && req !== undefined && scope.request === req) als.enterWith(scope.parent as LogScope);
  }

  /** A query line: the query text is kept (URL credentials masked), not redacted. */
  logDatabaseQuery(query: string, durationMs: number, rows?: number): void {
    const extra: LogFields = { query: typeof query === 'string' ? maskString(query) : String(query) };
    if (typeof query !== 'string') invalidArgument(`logDatabaseQuery: query must be a string, got ${describe(query)}`);
    if (validNumber(durationMs, 'logDatabaseQuery: durationMs')) extra.duration_ms = durationMs;
    if (rows !== undefined && validNumber(rows, 'logDatabaseQuery: rows')) extra.rows = rows;
    this.core.write(INFO, 'Database query', undefined, this.bound, extra);
  }

  logCacheOperation(operation: string, key: string, hit: boolean, durationMs?: number): void {
    if (typeof operation !== 'string') invalidArgument(`logCacheOperation: operation must be a string, got ${describe(operation)}`);
    if (typeof hit !== 'boolean') invalidArgument(`logCacheOperation: hit must be a boolean, got ${describe(hit)}`);
    const extra: LogFields = { operation: String(operation), key: maskString(String(key)), hit: hit === true };
    if (durationMs !== undefined && validNumber(durationMs, 'logCacheOperation: durationMs')) extra.duration_ms = durationMs;
    this.core.write(INFO, 'Cache operation', undefined, this.bound, extra);
  }

  /** Write buffered lines now. */
  flush(): void {
    this.core.flush();
  }

  private sanitizeFields(fields: unknown, what: string): LogFields | undefined {
    if (fields === undefined) return undefined;
    if (fields === null || typeof fields !== 'object') {
      invalidArgument(`${what} must be an object, got ${describe(fields)}`);
      return undefined;
    }
    const out: LogFields = {};
    this.core.sanitizer.copyInto(out, fields);
    return out;
  }
}

function findRequest(scope: LogScope | undefined): RequestContext | undefined {
  return scope?.request;
}

function validNumber(v: unknown, what: string): v is number {
  if (typeof v === 'number' && Number.isFinite(v)) return true;
  invalidArgument(`${what} must be a finite number, got ${describe(v)}; omitted`);
  return false;
}

function validKeys(keys: unknown): readonly string[] | undefined {
  if (keys === undefined) return undefined;
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) {
    invalidArgument(`redactKeys must be an array of strings, got ${describe(keys)}; using the default list`);
    return undefined;
  }
  return keys;
}

export type { LevelInfo };
