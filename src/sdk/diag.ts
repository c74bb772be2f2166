import { DiagConsoleLogger, type DiagLogger } from '@opentelemetry/api';

// With a collector down, the SDK reports the same failure on every export attempt (a metrics
// export timing out every interval, the same ECONNREFUSED for each batch): hours of identical
// stderr lines that bury everything else. Errors and warnings are therefore printed once per
// kind (the message with its numbers blanked: ports, counts and durations vary between
// repeats) and again at most once an hour, with how many repeats were held back. Info, debug
// and verbose pass through untouched: whoever turns them on wants every line.

const WINDOW_MS = 60 * 60 * 1000;
const MAX_KINDS = 500;

interface Seen {
  until: number;
  suppressed: number;
}

function text(message: string, args: unknown[]): string {
  return args.length === 0 ? message : `${message} ${args.map((a) => (typeof a === 'string' ? a : safeJson(a))).join(' ')}`;
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/**
 * What makes two messages the same kind: the text without stack traces (the same export
 * failure reaches the logger through different async paths, so its frames differ) and with
 * numbers blanked. OTel's global error handler passes errors as JSON with a "stack" field.
 */
export function kindOf(message: string): string {
  return message
    .replace(/"stack":"(?:[^"\\]|\\.)*",?/g, '')
    .replace(/(?:\n|\\n)\s*at [^\n]*/g, '')
    .replace(/\d+/g, '#')
    .slice(0, 300);
}

/** A diag logger that prints each distinct error/warning kind once an hour. */
export class DedupingDiagLogger implements DiagLogger {
  private readonly seen = new Map<string, Seen>();

  constructor(private readonly inner: DiagLogger = new DiagConsoleLogger()) {}

  error(message: string, ...args: unknown[]): void {
    this.once('error', message, args);
  }

  warn(message: string, ...args: unknown[]): void {
    this.once('warn', message, args);
  }

  info(message: string, ...args: unknown[]): void {
    this.inner.info(message, ...args);
  }

  debug(message: string, ...args: unknown[]): void {
    this.inner.debug(message, ...args);
  }

  verbose(message: string, ...args: unknown[]): void {
    this.inner.verbose(message, ...args);
  }

  private once(level: 'error' | 'warn', message: string, args: unknown[]): void {
    const now = Date.now();
    const key = `${level} ${kindOf(text(String(message), args))}`;
    const s = this.seen.get(key);
    if (s && now < s.until) {
      s.suppressed++;
      return;
    }
    // Bounded: an unbounded variety of messages must not become a memory leak.
    if (!s && this.seen.size >= MAX_KINDS) this.seen.clear();
    const held = s?.suppressed ?? 0;
    this.seen.set(key, { until: now + WINDOW_MS, suppressed: 0 });
    const note =
      held > 0 ? ` (${held} similar messages suppressed in the last hour)` : ' (repeats of this message are suppressed for an hour)';
    this.inner[level](`${message}${note}`, ...args);
  }
}
