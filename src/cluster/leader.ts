import { getConfig } from '../config/index.js';
import cluster from 'node:cluster';
import net from 'node:net';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { AttributeValue } from '@opentelemetry/api';
import { defaultMetrics } from '../metrics/collector.js';
import { ClusterMerger, type Contribution } from './merge.js';
import { WireDecoder } from './decode.js';
import { WireEncoder } from './encode.js';
import { TimeSlicer } from '../util/time-slice.js';
import {
  readLines,
  send,
  type FollowerMessage,
  type LeaderMessage,
  type Payload,
  type Snapshot,
  type WorkerHealth,
  type WorkerInfo,
} from './wire.js';

interface Follower {
  socket: net.Socket;
  info?: WorkerInfo;
  /** The connection's tables and the follower's latest cumulative values. */
  state: WireDecoder;
  health?: WorkerHealth;
  lastOkAt?: number;
  /** A collection that timed out is still outstanding: don't wait on this worker again until it answers. */
  stuck: boolean;
  pending: Map<number, (ok: boolean) => void>;
  flushed?: () => void;
  closed: boolean;
}

export interface LeaderOptions {
  self: WorkerInfo;
  /** This process's own cumulative metrics and declared gauge aggregations. */
  local: () => Promise<Snapshot>;
  localHealth: () => Promise<WorkerHealth>;
  timeoutMs: number;
}

export interface WorkerStatus {
  id: string;
  pid: number;
  role: 'leader' | 'follower';
  uptimeSeconds: number | null;
  memory: WorkerHealth['memory'] | null;
  lastCollectionAgeMs: number | null;
}

export interface ClusterReadiness {
  ready: boolean;
  readyWorkers: number;
  expectedWorkers: number;
  minReady: number;
  workers: ({ id: string; pid: number } & Partial<WorkerHealth> & { error?: string })[];
}

const FAILURES = 'monitoring.cluster.collect.failures';

/**
 * The serving process: accepts followers on the local socket, asks them for their cumulative
 * metrics on each scrape (concurrently, each bounded by `timeoutMs`), and merges exactly.
 */
export class ClusterLeader {
  private readonly followers = new Set<Follower>();
  private readonly merger = new ClusterMerger();
  /** This process's own metrics go through the same interning as a follower's (no JSON in between). */
  private readonly localEncoder = new WireEncoder();
  private readonly localState = new WireDecoder();
  private seq = 0;
  private retiredAny = false;
  private inflight: Promise<ResourceMetrics> | undefined;
  private readonly metrics = defaultMetrics();

  private constructor(
    private readonly server: net.Server,
    private readonly opts: LeaderOptions,
  ) {
    this.metrics.declareCounter(FAILURES, {
      description: "Worker collections that timed out or failed; the worker's last values were served",
    });
    this.metrics.incrementCounter(FAILURES, 0); // present at 0, so a rate over it is defined
    server.on('connection', (socket) => this.accept(socket));
  }

  /** Bind the local socket; undefined when another process holds it. */
  static listen(path: string, opts: LeaderOptions): Promise<ClusterLeader | undefined> {
    return new Promise((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(undefined));
      server.listen(path, () => {
        server.removeAllListeners('error');
        server.on('error', () => {});
        server.unref();
        resolve(new ClusterLeader(server, opts));
      });
    });
  }

  private accept(socket: net.Socket): void {
    socket.unref();
    socket.setNoDelay(true);
    const f: Follower = { socket, state: new WireDecoder(), stuck: false, pending: new Map(), closed: false };
    this.followers.add(f);
    socket.on('error', () => {});
    // Closed: after the last line received was handled (a worker's final values included).
    readLines<FollowerMessage>(
      socket,
      (m) => this.onMessage(f, m),
      () => {
        f.closed = true;
        this.followers.delete(f);
        for (const done of f.pending.values()) done(false);
        f.pending.clear();
        f.flushed?.();
        // Its last cumulative values stay in every later scrape: the sum never goes down.
        if (f.state.received) {
          this.merger.retire(f.state);
          this.retiredAny = true;
        }
      },
    );
  }

  private onMessage(f: Follower, m: FollowerMessage): void {
    switch (m.t) {
      case 'hello':
        f.info = m.info;
        break;
      case 'metrics':
        // Applied even when late: payloads are deltas, each one builds on the previous.
        if (!this.applyPayload(f, m.p)) return;
        if (m.p.c === 1) return; // more parts of this answer follow
        if (m.health) f.health = m.health;
        f.lastOkAt = Date.now();
        f.stuck = false;
        f.pending.get(m.seq)?.(true);
        f.pending.delete(m.seq);
        break;
      case 'health':
        f.health = m.health;
        f.pending.get(m.seq)?.(true);
        f.pending.delete(m.seq);
        break;
      case 'final':
        if (!this.applyPayload(f, m.p)) return;
        f.lastOkAt = Date.now();
        break;
      case 'flushed':
        f.flushed?.();
        break;
    }
  }

  /** False (and the connection dropped) on a payload that does not fit the connection's tables. */
  private applyPayload(f: Follower, p: Payload): boolean {
    try {
      f.state.apply(p);
      return true;
    } catch {
      f.socket.destroy();
      return false;
    }
  }

  /** Ask one follower; resolves true when it answered within the timeout. */
  private ask(f: Follower, t: 'collect' | 'health'): Promise<boolean> {
    if (f.closed) return Promise.resolve(false);
    if (t === 'collect' && f.stuck) return Promise.resolve(false);
    const seq = ++this.seq;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        // Keep the entry for a collection: a late answer still refreshes the snapshot.
        if (t === 'collect') f.stuck = true;
        else f.pending.delete(seq);
        resolve(false);
      }, this.opts.timeoutMs);
      timer.unref();
      f.pending.set(seq, (ok) => {
        clearTimeout(timer);
        resolve(ok);
      });
      send(f.socket, { t, seq } as LeaderMessage);
    });
  }

  private live(): Follower[] {
    return [...this.followers].filter((f) => f.info !== undefined && !f.closed);
  }

  /** True while collect() gives this process's own metrics alone (no follower now, none departed). */
  alone(): boolean {
    return !this.retiredAny && this.live().length === 0;
  }

  /**
   * The whole service's cumulative metrics. Scrapes that arrive while one collection is in
   * flight share it: the work never multiplies, and one merge at a time writes the merger.
   */
  collect(): Promise<ResourceMetrics> {
    this.inflight ??= this.collectOnce().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async collectOnce(): Promise<ResourceMetrics> {
    const followers = this.live();
    // Workers first: they collect while this process collects its own.
    const asked = Promise.all(followers.map((f) => this.ask(f, 'collect')));
    const local = await this.opts.local();
    const answers = await asked;
    if (followers.length === 0 && !this.retiredAny) return local.rm;
    const failed = answers.filter((ok) => !ok).length;
    if (failed > 0) this.metrics.incrementCounter(FAILURES, failed);
    // This process's series take the followers' path too, in time slices like everything below.
    const slicer = new TimeSlicer();
    for (const p of this.localEncoder.parts(local.rm, local.aggregations)) {
      this.localState.apply(p);
      if (slicer.due()) await slicer.next();
    }
    const parts: Contribution[] = [{ id: this.opts.self.id, state: this.localState }];
    // A follower that closed during the wait is already in the retired sum: not twice.
    for (const f of followers) if (f.state.received && !f.closed) parts.push({ id: f.info!.id, state: f.state });
    return slicer.run(this.merger.mergeSteps(serviceResource(local.rm.resource), parts));
  }

  /** Readiness over workers: each worker's own checks, bounded by the timeout. */
  async readiness(): Promise<ClusterReadiness> {
    const followers = this.live();
    const answers = await Promise.all(followers.map((f) => this.ask(f, 'health')));
    const workers: ClusterReadiness['workers'] = followers.map((f, i) =>
      answers[i] && f.health
        ? { id: f.info!.id, pid: f.info!.pid, ...f.health }
        : { id: f.info!.id, pid: f.info!.pid, ready: false, error: 'no answer within the timeout' },
    );
    const readyWorkers = workers.filter((w) => w.ready === true).length;
    // A node:cluster primary knows how many workers it forked: one not yet connected is not ready.
    const forked = cluster.isPrimary ? Object.values(cluster.workers ?? {}).filter((w) => w && !w.isDead()).length : 0;
    const expectedWorkers = Math.max(forked, followers.length);
    const configured = getConfig().monitoring.cluster.minReady;
    const minReady = configured !== undefined ? Math.min(configured, expectedWorkers) : expectedWorkers;
    return { ready: readyWorkers >= minReady, readyWorkers, expectedWorkers, minReady, workers };
  }

  /** This process and every follower, for /status. */
  workers(): WorkerStatus[] {
    const mem = process.memoryUsage();
    const self: WorkerStatus = {
      id: this.opts.self.id,
      pid: process.pid,
      role: 'leader',
      uptimeSeconds: round(process.uptime()),
      memory: { rss: mem.rss, heapUsed: mem.heapUsed, heapTotal: mem.heapTotal },
      lastCollectionAgeMs: 0,
    };
    const now = Date.now();
    return [
      self,
      ...this.live().map((f) => ({
        id: f.info!.id,
        pid: f.info!.pid,
        role: 'follower' as const,
        uptimeSeconds: round((now - f.info!.startedAt) / 1000),
        memory: f.health?.memory ?? null,
        lastCollectionAgeMs: f.lastOkAt === undefined ? null : now - f.lastOkAt,
      })),
    ];
  }

  /** Tell every follower to run its shutdown (flush included); resolves when all are done or gone. */
  shutdownFollowers(timeoutMs: number): Promise<void> {
    const waits = [...this.followers].map(
      (f) =>
        new Promise<void>((resolve) => {
          f.flushed = resolve;
          send(f.socket, { t: 'shutdown' });
        }),
    );
    return new Promise((resolve) => {
      const t = setTimeout(resolve, timeoutMs);
      t.unref();
      void Promise.all(waits).then(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** True once this process has workers (connected, or forked by a node:cluster primary). */
  hasWorkers(): boolean {
    if (this.live().length > 0) return true;
    return cluster.isPrimary && Object.values(cluster.workers ?? {}).some((w) => w && !w.isDead());
  }

  close(): void {
    this.server.close();
    for (const f of this.followers) f.socket.destroy();
  }
}

const round = (s: number) => Math.round(s * 1000) / 1000;

/** The merged view describes the service, not the serving process: drop per-process identity. */
function serviceResource(resource: ResourceMetrics['resource']): ResourceMetrics['resource'] {
  const attrs: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(resource.attributes ?? {})) {
    if (k === 'service.instance.id' || k.startsWith('process.') || v === undefined) continue;
    attrs[k] = v;
  }
  return resourceFromAttributes(attrs);
}
