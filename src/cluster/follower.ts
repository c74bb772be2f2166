import type net from 'node:net';
import { isShuttingDown, onShutdown, shutdown } from '../shutdown.js';
import { getState } from '../state.js';
import { WireEncoder } from './encode.js';
import { TimeSlicer } from '../util/time-slice.js';
import { readLines, send, type LeaderMessage, type Payload, type Snapshot, type WorkerHealth, type WorkerInfo } from './wire.js';

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
  // definition is sent again. Payloads are deltas: one answer at a time is encoded, each part
  // written as soon as it is made, in order; the loop is given back between parts.
  const encoder = new WireEncoder();
  let queue: Promise<void> = Promise.resolve();
  const answer = (snapshot: () => Promise<Snapshot>, write: (p: Payload, last: boolean) => void): Promise<void> => {
    const done = queue.then(async () => {
      const s = await snapshot();
      const slicer = new TimeSlicer();
      let prev: Payload | undefined;
      for (const p of encoder.parts(s.rm, s.aggregations)) {
        if (prev !== undefined) {
          write(prev, false);
          if (slicer.due()) await slicer.next();
        }
        prev = p;
      }
      write(prev!, true);
    });
    queue = done.catch(() => {});
    return done;
  };
  let healthSentAt = 0;
  send(socket, { t: 'hello', info: opts.info });
  readLines<LeaderMessage>(socket, (m) => {
    switch (m.t) {
      case 'collect': {
        // Health rides along for /status (memory) at most once a second: readiness asks for its own.
        const now = Date.now();
        const withHealth = now - healthSentAt >= 1000;
        if (withHealth) healthSentAt = now;
        let health: WorkerHealth | undefined;
        const snapshot = async () => {
          const [s, h] = await Promise.all([opts.local(), withHealth ? opts.health(false) : undefined]);
          health = h;
          return s;
        };
        // Health goes with the last part, the one the leader waits for.
        void answer(snapshot, (p, last) => send(socket, { t: 'metrics', seq: m.seq, p, health: last ? health : undefined })).catch(
          () => {},
        );
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
    let written: Promise<void> = Promise.resolve();
    await answer(opts.local, (p) => {
      if (!socket.writable) return;
      written = new Promise<void>((resolve) => socket.write(JSON.stringify({ t: 'final', p }) + '\n', () => resolve()));
    });
    await written;
  };
}
