import { getState } from '../state.js';
import { getConfig } from '../config/index.js';
import { Ring } from './ring.js';

/** One log line as kept for /status and the status page (already redacted). */
export interface RecentLog {
  time: number;
  level: string;
  msg: string;
  traceId?: string;
  spanId?: string;
  fields: Record<string, unknown>;
}

function envCapacity(): number {
  const { enabled, recentLogs: n } = getConfig().monitoring.ui;
  if (!enabled) return 0;
  return Number.isInteger(n) ? Math.min(n, 100_000) : 1000;
}

/** The process's ring of recent log records (bounded; off with MONITORING_UI=false). */
export function recentLogs(): Ring<RecentLog> {
  return (getState().recent.logs ??= new Ring<RecentLog>(envCapacity()));
}

/** The kept log lines recorded under one trace, oldest first (a scan: called per page request only). */
export function logsForTrace(traceId: string): RecentLog[] {
  return recentLogs()
    .toArray()
    .filter((l) => l.traceId === traceId);
}
