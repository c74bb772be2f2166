import { diag } from '@opentelemetry/api';
import { getState } from '../state.js';
import { PACKAGE_NAME } from '../package-info.js';
import { isStrict } from '../config/index.js';

// Problems caused by the caller's arguments. In production they must never throw into the
// app's code path (a telemetry mistake must not become an outage), so they become a one-time
// diag warning per distinct message; MONITORING_STRICT=1 makes them TypeErrors so that tests
// and development catch them at the call site. "Once" is per process: the messages seen are on
// the shared state, so the ESM and CJS copies of the package do not each warn.
const MAX_SEEN = 1000;

export { isStrict } from '../config/index.js';

/** Report invalid input. Throws a TypeError in strict mode, otherwise warns once per message. */
export function invalidArgument(message: string): void {
  if (isStrict()) throw new TypeError(`${PACKAGE_NAME}: ${message}`);
  warnOnce(message);
}

/** A one-time diag warning; used for runtime conditions that are not the caller's fault. */
export function warnOnce(message: string): void {
  const state = getState();
  const seen = state.report.seen;
  if (seen.has(message)) return;
  if (seen.size < MAX_SEEN) seen.add(message);
  // Once an SDK runs, warnings go through its diag logger (OTEL_LOG_LEVEL). In a plain script
  // with no SDK nobody listens to diag, so use Node's own warning channel instead.
  if (state.sdk.mode) diag.warn(`${PACKAGE_NAME}: ${message}`);
  else process.emitWarning(message, 'MonitoringWarning');
}

/** Short, safe description of a value for error messages (never prints the whole object). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? value.slice(0, 60) + '…' : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'undefined') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
