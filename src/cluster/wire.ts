import type { Socket } from 'node:net';
import type { ScopeMetrics } from '@opentelemetry/sdk-metrics';

// Leader and followers talk newline-delimited JSON over a local socket: JSON.stringify never
// emits a raw newline, so a line is exactly one message, and no schema compiler is needed.

/** How the leader combines one gauge over workers (default: one series per worker). */
export type GaugeAggregation = 'worker' | 'sum' | 'min' | 'max' | 'last';

/** A follower's cumulative metrics: the ResourceMetrics' scopes as JSON (Infinity becomes null). */
export interface Snapshot {
  scopeMetrics: ScopeMetrics[];
  /** Gauge aggregations the worker declared, by metric name. */
  aggregations?: Record<string, GaugeAggregation>;
}

export interface WorkerInfo {
  /** The worker's name in metrics and /status: cluster worker id, PM2 id, or pid. */
  id: string;
  pid: number;
  startedAt: number;
}

export interface WorkerHealth {
  ready: boolean;
  status: string;
  checks: Record<string, unknown>;
  uptimeSeconds: number;
  memory: { rss: number; heapUsed: number; heapTotal: number };
}

export type LeaderMessage =
  | { t: 'collect'; seq: number }
  | { t: 'health'; seq: number }
  | { t: 'shutdown' };

export type FollowerMessage =
  | { t: 'hello'; info: WorkerInfo }
  | { t: 'metrics'; seq: number; snapshot: Snapshot; health?: WorkerHealth }
  | { t: 'health'; seq: number; health: WorkerHealth }
  /** Sent on the follower's way out (after its flush), so nothing it recorded is lost. */
  | { t: 'final'; snapshot: Snapshot }
  /** The follower's shutdown sequence (flush included) has finished. */
  | { t: 'flushed' };

/** Largest accepted line: a runaway peer must not grow the leader's memory without bound. */
const MAX_LINE = 256 * 1024 * 1024;

/** Calls `onMessage` once per received line; ends the socket on malformed input. */
export function readLines<T>(socket: Socket, onMessage: (m: T) => void): void {
  let buf = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buf += chunk;
    if (buf.length > MAX_LINE) {
      socket.destroy();
      return;
    }
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.length === 0) continue;
      let msg: T;
      try {
        msg = JSON.parse(line) as T;
      } catch {
        socket.destroy();
        return;
      }
      onMessage(msg);
    }
  });
}

export function send(socket: Socket, msg: LeaderMessage | FollowerMessage): void {
  if (!socket.destroyed && socket.writable) socket.write(JSON.stringify(msg) + '\n');
}

/** JSON has no NaN or Infinity: they arrive as null. Restore NaN so expositions stay valid. */
export function revive(snapshot: Snapshot): Snapshot {
  for (const sm of snapshot.scopeMetrics) {
    for (const m of sm.metrics) {
      for (const p of m.dataPoints as { value: unknown }[]) {
        if (p.value === null) p.value = NaN;
        else if (typeof p.value === 'object') {
          const h = p.value as { sum?: number | null };
          if (h.sum === null) h.sum = NaN;
        }
      }
    }
  }
  return snapshot;
}
