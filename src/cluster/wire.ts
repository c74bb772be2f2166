import type { Socket } from 'node:net';
import type { Attributes } from '@opentelemetry/api';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { turnUsedUp } from '../util/time-slice.js';

// Leader and followers talk newline-delimited JSON over a local socket: JSON.stringify never
// emits a raw newline, so a line is exactly one message, and no schema compiler is needed.
// Metrics travel in a compact, per-connection interned form (see Payload): a scrape of a
// follower is mostly flat arrays of numbers, which JSON writes and parses fast.

/** How the leader combines one gauge over workers (default: one series per worker). */
export type GaugeAggregation = 'worker' | 'sum' | 'min' | 'max' | 'last';

/** A process's cumulative metrics and the gauge aggregations it declared, by metric name. */
export interface Snapshot {
  rm: ResourceMetrics;
  aggregations: Record<string, GaugeAggregation>;
}

/** One number on the wire: JSON has no NaN or ±Infinity, so they travel as "NaN", "Infinity", "-Infinity"; null is "absent". */
export type WireNumber = number | string | null;

/**
 * A follower's metrics since its previous payload on this connection. Definitions are sent
 * once per connection, the first time they are used; afterwards a metric is named by its id.
 * - `md`: metric definitions `[id, scopeName, scopeVersion, schemaUrl, name, description, unit,
 *   valueType, dataPointType, isMonotonic, aggregationTemporality]`.
 * - `ad`: attribute sets, flat `[id, attributes, id, attributes, …]`.
 * - `bd`: histogram boundaries, flat `[id, boundaries, …]`.
 * - `m`: one array per metric that changed: `[metricId, full, startSec, startNs, endSec, endNs,
 *   …points]`; a number point is `attrId, value`; a histogram point is `attrId, boundsId, count,
 *   sum, min, max, counts…` (boundaries + 1 counts); any other point is `attrId, valueObject`.
 *   `full` = 1 replaces the metric's points; 0 updates only the points listed (the others are
 *   unchanged). A metric not listed is unchanged.
 * - `gone`: metric ids the follower no longer reports.
 * - `ag`: the gauge aggregations it declared, when they changed.
 * - `r`: forget every definition and value of this connection first (the tables grew too big).
 * - `c`: more parts of this payload follow (a large answer travels as several short lines, so
 *   neither end blocks its event loop on one big one). Applied in order, the parts are the
 *   payload; the leader serves a metric sent in full only once its last part arrived.
 */
export interface Payload {
  r?: 1;
  c?: 1;
  md?: MetricDefWire[];
  ad?: (number | Attributes)[];
  bd?: (number | number[])[];
  m: WireValue[][];
  gone?: number[];
  ag?: Record<string, GaugeAggregation>;
}

export type MetricDefWire = [number, string, string | null, string | null, string, string, string, number, number, boolean | null, number];
export type WireValue = WireNumber | object;

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

export type LeaderMessage = { t: 'collect'; seq: number } | { t: 'health'; seq: number } | { t: 'shutdown' };

export type FollowerMessage =
  | { t: 'hello'; info: WorkerInfo }
  | { t: 'metrics'; seq: number; p: Payload; health?: WorkerHealth }
  | { t: 'health'; seq: number; health: WorkerHealth }
  /** Sent on the follower's way out (after its flush), so nothing it recorded is lost. */
  | { t: 'final'; p: Payload }
  /** The follower's shutdown sequence (flush included) has finished. */
  | { t: 'flushed' };

/** Largest accepted line: a runaway peer must not grow the leader's memory without bound. */
const MAX_LINE = 256 * 1024 * 1024;

// Lines are handled in time slices shared by every connection of the process (and the merge): a
// burst of large answers from several workers (each read can bring up to 2 MB) is parsed a few
// milliseconds per turn of the event loop, the socket paused meanwhile (back-pressure to the sender).

/**
 * Calls `onMessage` once per received line, in order; ends the socket on malformed input.
 * `onClose` runs once the socket closed and every line received before was handled.
 */
export function readLines<T>(socket: Socket, onMessage: (m: T) => void, onClose?: () => void): void {
  // Chunks of an unfinished line are kept apart and joined once, when its newline arrives:
  // a large message costs one concatenation, not one rescan per chunk.
  let parts: string[] = [];
  let size = 0;
  let backlog: string[] = [];
  let next = 0;
  let waiting = false;
  let ended = false;
  let closeSaid = false;
  const close = () => {
    if (closeSaid) return;
    closeSaid = true;
    onClose?.();
  };
  const deliver = (): void => {
    waiting = false;
    while (next < backlog.length) {
      if (turnUsedUp()) {
        waiting = true;
        socket.pause();
        setImmediate(deliver);
        return;
      }
      const line = backlog[next++]!;
      let msg: T;
      try {
        msg = JSON.parse(line) as T;
      } catch {
        backlog = [];
        next = 0;
        socket.destroy();
        return;
      }
      const open = !socket.destroyed;
      onMessage(msg);
      if (open && socket.destroyed) {
        // The handler dropped the connection: nothing after that line is delivered.
        backlog = [];
        next = 0;
        return;
      }
    }
    backlog = [];
    next = 0;
    if (ended) close();
    else if (socket.isPaused()) socket.resume();
  };
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    let from = 0;
    let nl: number;
    while ((nl = chunk.indexOf('\n', from)) >= 0) {
      let line = chunk.slice(from, nl);
      if (parts.length > 0) {
        parts.push(line);
        line = parts.join('');
        parts = [];
        size = 0;
      }
      from = nl + 1;
      if (line.length > 0) backlog.push(line);
    }
    if (from < chunk.length) {
      size += chunk.length - from;
      if (size > MAX_LINE) {
        socket.destroy();
        return;
      }
      parts.push(from === 0 ? chunk : chunk.slice(from));
    }
    if (!waiting) deliver();
  });
  socket.on('close', () => {
    ended = true;
    if (!waiting) close();
  });
}

export function send(socket: Socket, msg: LeaderMessage | FollowerMessage): void {
  if (!socket.destroyed && socket.writable) socket.write(JSON.stringify(msg) + '\n');
}
