import { SeverityNumber } from '@opentelemetry/api-logs';

/** The log levels of PySocketCommLib's Python monitoring module; values are what the JSON `level` field and the metric label carry. */
export const LogLevel = {
  DEBUG: 'debug',
  INFO: 'info',
  WARNING: 'warning',
  ERROR: 'error',
  CRITICAL: 'critical',
} as const;
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

export interface LevelInfo {
  readonly name: LogLevel;
  /** pino's number for the level (debug 20 … fatal 60). */
  readonly value: number;
  /** The pino method that writes it. */
  readonly method: 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  readonly severity: SeverityNumber;
  /** Index into per-level arrays (metric handles). */
  readonly index: number;
}

export const LEVELS: readonly LevelInfo[] = [
  { name: 'debug', value: 20, method: 'debug', severity: SeverityNumber.DEBUG, index: 0 },
  { name: 'info', value: 30, method: 'info', severity: SeverityNumber.INFO, index: 1 },
  { name: 'warning', value: 40, method: 'warn', severity: SeverityNumber.WARN, index: 2 },
  { name: 'error', value: 50, method: 'error', severity: SeverityNumber.ERROR, index: 3 },
  { name: 'critical', value: 60, method: 'fatal', severity: SeverityNumber.FATAL, index: 4 },
];
export const [DEBUG, INFO, WARNING, ERROR, CRITICAL] = LEVELS as [LevelInfo, LevelInfo, LevelInfo, LevelInfo, LevelInfo];

/** pino's label → our name, for pino's `formatters.level`. */
export const PINO_LABEL: Record<string, LogLevel> = {
  trace: 'debug',
  debug: 'debug',
  info: 'info',
  warn: 'warning',
  error: 'error',
  fatal: 'critical',
};

const BY_NAME: Record<string, LevelInfo> = {
  debug: DEBUG,
  info: INFO,
  warning: WARNING,
  warn: WARNING,
  error: ERROR,
  critical: CRITICAL,
  fatal: CRITICAL,
};

/** Accepts LogLevel values and names in any case (`'WARN'`, `'Warning'`); undefined otherwise. */
export function parseLevel(level: unknown): LevelInfo | undefined {
  if (typeof level !== 'string') return undefined;
  const key = level.toLowerCase();
  // Own properties only: setLevel('constructor') must be rejected, not find Object.prototype's.
  return Object.hasOwn(BY_NAME, key) ? BY_NAME[key] : undefined;
}
