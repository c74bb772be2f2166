/** Health of one check or of the whole process. Serialised as its lower-case value. */
export const HealthStatus = {
  HEALTHY: 'healthy',
  DEGRADED: 'degraded',
  UNHEALTHY: 'unhealthy',
} as const;
export type HealthStatus = (typeof HealthStatus)[keyof typeof HealthStatus];

/**
 * The outcome of one run of one check. `timestamp` is when the run finished, in milliseconds
 * since the epoch (`Date.now()`); the JSON routes serve it as an ISO-8601 string.
 */
export interface HealthCheckResult {
  name: string;
  status: HealthStatus;
  message: string;
  durationMs: number;
  timestamp: number;
  /** Extra facts (thresholds, observed values, target). Served only to authorized clients. */
  details?: Record<string, unknown>;
}

/**
 * What a check function may return: a full or partial result, or a boolean (true = healthy).
 * `string & {}` keeps editors offering the HealthStatus names.
 */
export type CheckOutcome = boolean | (Partial<Omit<HealthCheckResult, 'name'>> & { status: HealthStatus | (string & {}) });
export type CheckFunction = () => CheckOutcome | Promise<CheckOutcome>;

export interface CheckOptions {
  /** Longest a run may take before it counts as UNHEALTHY (default 5000 ms). */
  timeoutMs?: number;
  /** A failing critical check makes the whole UNHEALTHY; a non-critical one only DEGRADED (default true). */
  critical?: boolean;
}

const RANK: Record<HealthStatus, number> = { healthy: 0, degraded: 1, unhealthy: 2 };

export function worst(a: HealthStatus, b: HealthStatus): HealthStatus {
  return RANK[a] >= RANK[b] ? a : b;
}

export function isHealthStatus(v: unknown): v is HealthStatus {
  return v === 'healthy' || v === 'degraded' || v === 'unhealthy';
}

/** Gauge value for a status: 1 healthy, 0.5 degraded, 0 unhealthy (what dashboards plot). */
export function statusValue(s: HealthStatus): number {
  return s === 'healthy' ? 1 : s === 'degraded' ? 0.5 : 0;
}

/**
 * Turn whatever a check function returned into a status, message and details. Anything that
 * is not a boolean or an object with a known status is "garbage" and counts as UNHEALTHY.
 */
export function normalizeOutcome(out: unknown): { status: HealthStatus; message: string; details?: Record<string, unknown> } {
  if (out === true) return { status: 'healthy', message: 'OK' };
  if (out === false) return { status: 'unhealthy', message: 'check returned false' };
  if (out !== null && typeof out === 'object' && !Array.isArray(out)) {
    const o = out as Record<string, unknown>;
    const status = typeof o.status === 'string' ? o.status.toLowerCase() : undefined;
    if (isHealthStatus(status)) {
      const message = typeof o.message === 'string' ? o.message : status === 'healthy' ? 'OK' : status;
      const details =
        o.details !== null && typeof o.details === 'object' && !Array.isArray(o.details)
          ? (o.details as Record<string, unknown>)
          : undefined;
      return { status, message, details };
    }
  }
  const kind =
    out === null ? 'null' : Array.isArray(out) ? 'an array' : typeof out === 'object' ? 'an object without a valid status' : typeof out;
  return { status: 'unhealthy', message: `check returned ${kind}, not a boolean or a result with status healthy/degraded/unhealthy` };
}
