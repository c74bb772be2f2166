import type net from 'node:net';
import { isShuttingDown, onShutdown, shutdown } from '../shutdown.js';
import { getState } from '../state.js';
import { WireEncoder } from './encode.js';
import { readLines, send, type LeaderMessage, type Snapshot, type WorkerHealth, type WorkerInfo } from './wire.js';

export interface FollowerOptions {
  info: WorkerInfo;
  local: () => Promise<Snapshot>;
  /** `fresh`: run stale checks (a readiness request); else the latest results only. */
  health: (fresh: boolean) => Promise<WorkerHealth>;
  /** The leader's socket closed while this process still runs: elect again. */
  onLeaderGone: () => void;
}

/**
 * A worker that does not serve the port: answers the leader's requests with its own
 * cumulative metrics and health. Its own OTLP export is untouched (each worker pushes its
 * own data under its own service.instance.id), so nothing is exported twice.
 */
export function follow(socket: net.Socket, opts: FollowerOptions): void {
  socket.unref();
  socket.setNoDelay(true);
  socket.on('error', () => {});
  // One encoder per connection: a new leader (take-over) starts with empty tables, and every
  // definition is sent again. Payloads are deltas, so each is encoded and written in one tick.
  const encoder = new WireEncoder();
  const encode = (s: Snapshot) => encoder.encode(s.rm, s.aggregations);
  let healthSentAt = 0;
  send(socket, { t: 'hello', info: opts.info });
  readLines<LeaderMessage>(socket, (m) => {
    switch (m.t) {
      case 'collect': {
        // Health rides along for /status (memory) at most once a second: readiness asks for its own.
        const now = Date.now();
        const withHealth = now - healthSentAt >= 1000;
        if (withHealth) healthSentAt = now;
        void Promise.all([opts.local(), withHealth ? opts.health(false) : undefined])
          .then(([snapshot, health]) => send(socket, { t: 'metrics', seq: m.seq, p: encode(snapshot), health }))
          .catch(() => {});
        break;
      }
      case 'health':
        void opts
          .health(true)
          .then((health) => send(socket, { t: 'health', seq: m.seq, health }))
          .catch(() => {});
        break;
      case 'shutdown':
        // The primary is going down and this worker with it: run the whole sequence here
        // (readiness 503, drain, flush) and say when done, before the primary exits.
        void shutdown().finally(() => send(socket, { t: 'flushed' }));
        break;
    }
  });
  socket.on('close', () => {
    if (!isShuttingDown()) opts.onLeaderGone();
  });
  const state = getState().cluster;
  // The last values must reach the leader before the SDK stops (after that nothing can be
  // collected), over the connection current at that moment (a take-over replaces it).
  if (state.final === undefined) onShutdown('beforeSdk', () => getState().cluster.final?.());
  state.final = async () => {
    if (socket.destroyed || !socket.writable) return;
    const snapshot = await opts.local();
    await new Promise<void>((resolve) => {
      if (!socket.writable) return resolve();
      socket.write(JSON.stringify({ t: 'final', p: encode(snapshot) }) + '\n', () => resolve());
    });
  };
}
