import { getState } from '../state.js';
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

const CAPACITY = Number(process.env.MONITORING_RECENT_LOGS ?? 1000) || 0;

/** The process's ring of recent log records (bounded; off with MONITORING_UI=false). */
export function recentLogs(): Ring<RecentLog> {
  const s = getState();
  return (s.recentLogs ??= new Ring<RecentLog>(process.env.MONITORING_UI === 'false' ? 0 : CAPACITY)) as Ring<RecentLog>;
}
