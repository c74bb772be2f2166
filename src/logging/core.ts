import { context, trace, type Context } from '@opentelemetry/api';
import { logs, type Logger as OtelLogger } from '@opentelemetry/api-logs';
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { BoundCounter, MetricsCollector } from '../metrics/collector.js';
import { getState, type MonitoringState } from '../state.js';
import { serviceName } from '../sdk/service.js';
import { ownStreamOnly } from '../compat/pino.js';
import { globalLoggerProviderSet } from '../compat/otel-logs-global.js';
import { recentLogs, type RecentLog } from '../recent/logs.js';
import type { Ring } from '../recent/ring.js';
import { describe, invalidArgument } from '../util/report.js';
import { LEVELS, PINO_LABEL, type LevelInfo } from './levels.js';
import { maskString, Sanitizer } from './sanitize.js';
import { scopeStorage } from './context.js';
import { PACKAGE_NAME } from '../package-info.js';

/** Where lines go: a pino/SonicBoom stream, any `{ write(line) }`, a file path or a file descriptor. */
export type LogDestination = DestinationStream | { write(line: string): unknown } | string | number;

export interface CoreOptions {
  destination?: LogDestination;
  redactKeys?: readonly string[];
  service?: string;
  otel?: boolean;
}

const INVALID_TRACE_ID = '00000000000000000000000000000000';
const LOG_RECORDS = 'log.records';
const SCOPE_NAME = PACKAGE_NAME;

/** A deterministic fraction in [0, 1) from a (random) trace id: same trace, same decision. */
export function traceFraction(traceId: string): number {
  return parseInt(traceId.substring(24), 16) / 4294967296;
}

// Synchronous writes, as pino's own default: no line is lost when the process crashes or
// exits abruptly, and measured on this machine a sync write of one line to /dev/null cost
// less than SonicBoom's async buffering in a tight loop (bench/logger.js).
function openDestination(d: LogDestination | undefined): DestinationStream {
  if (d === undefined || d === 'stdout') return pino.destination({ dest: 1, sync: true });
  if (d === 'stderr') return pino.destination({ dest: 2, sync: true });
  if (typeof d === 'string' || typeof d === 'number') return pino.destination({ dest: d, sync: true, mkdir: true });
  return d as DestinationStream;
}

/**
 * The shared machinery of a logger and its children: the pino instance, level, sampling
 * rate, redaction and metric handles. One write path for every method.
 */
export class LogCore {
  minLevel = 30;
  rate = 1;
  private counters: (BoundCounter | undefined)[] = [];
  private readonly pino: PinoLogger;
  private readonly stream: DestinationStream;
  readonly sanitizer: Sanitizer;
  private readonly ring: Ring<RecentLog>;
  private readonly state: MonitoringState = getState();
  private readonly otelOption: boolean | undefined;
  private otelLogger: OtelLogger | undefined;
  // Time of the line being written; pino's timestamp function reads it so that the JSON
  // line, the recent-logs ring and the OTel record carry the same instant.
  private now = 0;

  constructor(options: CoreOptions) {
    this.sanitizer = new Sanitizer(options.redactKeys);
    this.otelOption = options.otel;
    this.ring = recentLogs();
    this.stream = openDestination(options.destination);
    const logger = pino(
      {
        level: 'trace',
        base: { service: options.service ?? serviceName() },
        messageKey: 'msg',
        timestamp: () => `,"time":${this.now}`,
        formatters: { level: (label) => ({ level: PINO_LABEL[label] ?? label }) },
      },
      this.stream,
    );
    // Under register, @opentelemetry/instrumentation-pino patches pino: a mixin adding
    // trace_id/span_id (we add them ourselves, also without register) and a multistream that
    // re-parses every line to send it to the Logs SDK (we emit the record directly).
    ownStreamOnly(logger, this.stream);
    this.pino = logger;
  }

  setMetrics(metrics: MetricsCollector | null): void {
    if (metrics === null) {
      this.counters = [];
      return;
    }
    metrics.declareCounter(LOG_RECORDS, { description: 'Log records written, by level.' });
    this.counters = LEVELS.map((l) => metrics.counter(LOG_RECORDS, { level: l.name }));
  }

  private exporting(): boolean {
    if (this.otelOption !== undefined) return this.otelOption;
    // register says whether a log exporter is configured; without register, emit only when
    // someone installed a global LoggerProvider.
    const s = this.state.logging.exporting;
    if (s !== undefined) return s;
    return globalLoggerProviderSet();
  }

  /**
   * Write one line. Order matters for cost: level filter and sampling come before anything
   * is allocated, so a dropped line costs a context lookup and a comparison.
   */
  write(
    level: LevelInfo,
    msg: unknown,
    fields: unknown,
    bound: Readonly<Record<string, unknown>> | undefined,
    extra?: Readonly<Record<string, unknown>>,
  ): void {
    if (level.value < this.minLevel) return;
    const ctx = context.active();
    const sc = trace.getSpan(ctx)?.spanContext();
    const traced = sc !== undefined && sc.traceId !== INVALID_TRACE_ID;
    if (level.value <= 30 && this.rate < 1) {
      if ((traced ? traceFraction(sc.traceId) : Math.random()) >= this.rate) return;
    }
    try {
      this.emit(level, msg, fields, bound, extra, ctx, traced ? sc : undefined);
    } catch (err) {
      // A logging failure never reaches the app; it is reported once.
      invalidArgument(`log line could not be written: ${(err as Error)?.message ?? describe(err)}`);
    }
  }

  private emit(
    level: LevelInfo,
    msg: unknown,
    fields: unknown,
    bound: Readonly<Record<string, unknown>> | undefined,
    extra: Readonly<Record<string, unknown>> | undefined,
    ctx: Context,
    sc: { traceId: string; spanId: string; traceFlags: number } | undefined,
  ): void {
    let text: string;
    if (typeof msg === 'string') text = maskString(msg);
    else {
      invalidArgument(`log message must be a string, got ${describe(msg)}; it is logged as text`);
      text = messageText(msg, this.sanitizer);
    }
    const obj: Record<string, unknown> = {};
    const scope = scopeStorage().getStore();
    if (scope !== undefined) Object.assign(obj, scope.fields);
    if (bound !== undefined) Object.assign(obj, bound);
    if (fields !== undefined && fields !== null) {
      if (typeof fields === 'object') this.sanitizer.copyInto(obj, fields);
      else {
        invalidArgument(`log fields must be an object, got ${describe(fields)}; logged under "fields"`);
        obj.fields = this.sanitizer.value(fields, 1, []);
      }
    }
    if (extra !== undefined) Object.assign(obj, extra);
    const now = (this.now = Date.now());
    if (this.exporting()) {
      // The SDK copies the attributes at emit, so adding trace fields below is safe; the
      // record's context carries the trace instead.
      (this.otelLogger ??= logs.getLogger(SCOPE_NAME)).emit({
        timestamp: now,
        severityNumber: level.severity,
        severityText: level.name,
        body: text,
        attributes: obj as never,
        context: ctx,
      });
    }
    if (sc !== undefined) {
      obj.trace_id = sc.traceId;
      obj.span_id = sc.spanId;
      obj.trace_flags = sc.traceFlags === 1 ? '01' : sc.traceFlags < 16 ? '0' + sc.traceFlags.toString(16) : sc.traceFlags.toString(16);
    }
    this.pino[level.method](obj, text);
    if (this.ring.capacity > 0) {
      this.ring.push({ time: now, level: level.name, msg: text, traceId: sc?.traceId, spanId: sc?.spanId, fields: obj });
    }
    this.counters[level.index]?.add(1);
  }

  /** Push buffered lines to the destination now (shutdown, tests). Never throws. */
  flush(): void {
    try {
      const s = this.stream as { flushSync?: () => void };
      if (typeof s.flushSync === 'function') s.flushSync();
    } catch {
      // SonicBoom throws when not yet open or on EAGAIN; the exit handler retries.
    }
  }
}

function messageText(msg: unknown, sanitizer: Sanitizer): string {
  if (typeof msg === 'object' && msg !== null) {
    try {
      return JSON.stringify(sanitizer.value(msg, 1, []));
    } catch {
      return '[Unserializable]';
    }
  }
  return maskString(String(msg));
}
