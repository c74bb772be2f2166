import cluster from 'node:cluster';
import { mkdirSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { diag } from '@opentelemetry/api';
import { getState } from '../state.js';
import { getConfig } from '../config/index.js';
import { deferSystemMetrics } from '../sdk/system-metrics.js';
import { isShuttingDown, onShutdown } from '../shutdown.js';
import { collectOwnMetrics, setMetricsSource } from '../metrics/source.js';
import { defaultReadinessChecker } from '../health/readiness-checker.js';
import { envPort } from '../http/address.js';
import { warnOnce } from '../util/report.js';
import { setClusterView } from './access.js';
import { ClusterLeader } from './leader.js';
import { follow } from './follower.js';
import { gaugeAggregations } from './aggregation.js';
import type { Snapshot, WorkerHealth, WorkerInfo } from './wire.js';
import { PACKAGE_NAME } from '../package-info.js';

export type { ClusterReadiness, WorkerStatus } from './leader.js';

/**
 * Which processes form one service: a node:cluster worker's parent is the primary (its own
 * code or PM2's daemon), so workers name the group by their parent's pid and a primary by its
 * own. Independent apps never share a group, even on one port: the second just finds the
 * TCP port taken. The port is part of the name so apps under one PM2 daemon stay apart.
 */
export function socketPath(groupPid: number, port: string): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const name = `socketcomm-monitoring-${uid}-${groupPid}-${port}`;
  if (process.platform === 'win32') return `\\\\?\\pipe\\${name}`;
  // Linux abstract namespace: no file, so nothing stale after a kill -9, and bind is an atomic election.
  if (process.platform === 'linux') return `\0${name}`;
  const dir = path.join(os.tmpdir(), `socketcomm-monitoring-${uid}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return path.join(dir, `${groupPid}-${port}.sock`);
}

function workerId(): string {
  if (!cluster.isWorker) return 'primary';
  return String(getConfig().runtime.pm2Id ?? cluster.worker?.id ?? process.pid);
}

function tryConnect(p: string): Promise<net.Socket | undefined> {
  return new Promise((resolve) => {
    const s = net.connect(p);
    s.once('connect', () => {
      s.removeAllListeners('error');
      resolve(s);
    });
    s.once('error', () => resolve(undefined));
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

async function localSnapshot(): Promise<Snapshot> {
  return { rm: await collectOwnMetrics(), aggregations: gaugeAggregations() };
}

async function localHealth(fresh: boolean): Promise<WorkerHealth> {
  const r = defaultReadinessChecker();
  const results = fresh ? await r.currentResults() : r.getLastResults();
  const status = isShuttingDown() ? 'shutting_down' : r.getOverallStatus(results);
  const checks: Record<string, unknown> = {};
  for (const [name, c] of Object.entries(results)) checks[name] = { status: c.status, message: c.message };
  const m = process.memoryUsage();
  return {
    ready: status !== 'unhealthy' && status !== 'shutting_down',
    status,
    checks,
    uptimeSeconds: process.uptime(),
    memory: { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal },
  };
}

function becomeLeader(leader: ClusterLeader): void {
  getState().cluster.role = 'leader';
  // /metrics and exportPrometheus() see the whole service from now on; the merge reads this
  // process's own metrics through collectOwnMetrics().
  // While there is nothing to merge, a scrape reads this process's own source (in slices).
  setMetricsSource({ collect: () => leader.collect(), alone: () => leader.alone() }, 'cluster');
  // A process with no workers is no cluster: the routes then show nothing about workers.
  setClusterView({
    readiness: () => (leader.hasWorkers() ? leader.readiness() : undefined),
    workers: () => (leader.hasWorkers() ? leader.workers() : undefined),
  });
  // Host metrics run in the serving process only (followers skip them); a no-op when already started.
  deferSystemMetrics();
  if (!cluster.isWorker) {
    // A node:cluster primary going down takes its workers with it: each flushes first.
    let flushing: Promise<void> | undefined;
    const timeoutMs = getConfig().monitoring.shutdownTimeoutMs;
    onShutdown('begin', () => {
      flushing = leader.shutdownFollowers(timeoutMs);
    });
    onShutdown('end', () => flushing);
  }
}

/**
 * Decide this process's role for the monitoring port and run `serve` (which opens the TCP
 * server) only in the serving process. Workers that don't serve answer the leader over a
 * local socket; one of them takes over when the serving worker dies (PM2 cluster mode).
 */
export async function startCluster(serve: () => Promise<void>): Promise<void> {
  const state = getState().cluster;
  if (!getConfig().monitoring.cluster.enabled || state.role !== undefined) return serve();
  state.role = 'starting';
  const worker = cluster.isWorker;
  const p = socketPath(worker ? process.ppid : process.pid, String(envPort()));
  const info: WorkerInfo = { id: workerId(), pid: process.pid, startedAt: Date.now() - process.uptime() * 1000 };
  const timeoutMs = Math.max(getConfig().monitoring.cluster.timeoutMs, 10);
  const leaderOptions = { self: info, local: localSnapshot, localHealth: () => localHealth(true), timeoutMs };

  const elect = async (): Promise<void> => {
    for (let attempt = 0; attempt < 20; attempt++) {
      if (isShuttingDown()) return;
      const socket = worker ? await tryConnect(p) : undefined;
      if (socket) {
        state.role = 'follower';
        return follow(socket, {
          info,
          local: localSnapshot,
          health: localHealth,
          onLeaderGone: () =>
            void sleep(Math.random() * 50)
              .then(elect)
              .catch(() => {}),
        });
      }
      const leader = await ClusterLeader.listen(p, leaderOptions);
      if (leader) {
        becomeLeader(leader);
        return serve();
      }
      if (!p.startsWith('\0') && process.platform !== 'win32' && !(await tryConnect(p).then((s) => (s?.destroy(), s)))) {
        // A socket file nobody answers on: left by a process that was killed. Connect-tested first.
        try {
          unlinkSync(p);
        } catch {
          // Another candidate removed it first.
        }
      }
      await sleep(10 + Math.random() * 40);
    }
    warnOnce('monitoring cluster: no serving process could be elected; this worker runs without the monitoring server');
  };
  try {
    await elect();
  } catch (err) {
    diag.warn(`${PACKAGE_NAME}: cluster election failed (${(err as Error).message}); serving this process alone`);
    return serve();
  }
}
