import { statfs } from 'node:fs/promises';
import os from 'node:os';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import v8 from 'node:v8';
import { getState } from '../state.js';
import type { HealthStatus } from './status.js';

/** Where each default check turns DEGRADED and then UNHEALTHY. */
export interface DefaultCheckThresholds {
  /** 1-minute load average per CPU core (higher is worse). Default 2 / 4. */
  loadPerCore: { degraded: number; unhealthy: number };
  /** V8 heap used / heap size limit. Default 0.85 / 0.95. */
  heapUsedRatio: { degraded: number; unhealthy: number };
  /** Process RSS / memory limit (cgroup limit when set, else total memory). Default 0.8 / 0.9. */
  rssRatio: { degraded: number; unhealthy: number };
  /** Free fraction of the filesystem holding `diskPath` (lower is worse). Default 0.1 / 0.05. */
  diskFreeRatio: { degraded: number; unhealthy: number };
  /** p99 event-loop delay over the last interval, ms. Default 200 / 1000. */
  eventLoopDelayMs: { degraded: number; unhealthy: number };
  /** Directory whose filesystem the disk check looks at. Default: the working directory. */
  diskPath: string;
}

export function defaultThresholds(): DefaultCheckThresholds {
  return {
    loadPerCore: { degraded: 2, unhealthy: 4 },
    heapUsedRatio: { degraded: 0.85, unhealthy: 0.95 },
    rssRatio: { degraded: 0.8, unhealthy: 0.9 },
    diskFreeRatio: { degraded: 0.1, unhealthy: 0.05 },
    eventLoopDelayMs: { degraded: 200, unhealthy: 1000 },
    diskPath: process.cwd(),
  };
}

type Limits = { degraded: number; unhealthy: number };
const above = (v: number, l: Limits): HealthStatus => (v >= l.unhealthy ? 'unhealthy' : v >= l.degraded ? 'degraded' : 'healthy');
const below = (v: number, l: Limits): HealthStatus => (v <= l.unhealthy ? 'unhealthy' : v <= l.degraded ? 'degraded' : 'healthy');
const round = (v: number, d = 3) => Math.round(v * 10 ** d) / 10 ** d;

export function systemResourcesCheck(t: DefaultCheckThresholds) {
  const cores = os.availableParallelism();
  const load1 = os.loadavg()[0]!;
  const perCore = load1 / cores;
  const status = above(perCore, t.loadPerCore);
  return {
    status,
    message:
      status === 'healthy' ? 'System resources OK' : `load average ${round(load1, 2)} on ${cores} cores (${round(perCore, 2)} per core)`,
    details: { loadAverage1m: round(load1, 2), cores, loadPerCore: round(perCore, 3), thresholds: t.loadPerCore },
  };
}

export function memoryCheck(t: DefaultCheckThresholds) {
  const heap = v8.getHeapStatistics();
  const rss = process.memoryUsage.rss();
  const constrained = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0;
  const limit = constrained && constrained > 0 && constrained < Number.MAX_SAFE_INTEGER ? constrained : os.totalmem();
  const heapRatio = heap.used_heap_size / heap.heap_size_limit;
  const rssRatio = rss / limit;
  const hs = above(heapRatio, t.heapUsedRatio);
  const rs = above(rssRatio, t.rssRatio);
  const status: HealthStatus =
    hs === 'unhealthy' || rs === 'unhealthy' ? 'unhealthy' : hs === 'degraded' || rs === 'degraded' ? 'degraded' : 'healthy';
  const of = limit === constrained ? 'the cgroup limit' : 'total memory';
  const message =
    status === 'healthy' ? 'Memory OK' : `heap ${Math.round(heapRatio * 100)}% of its limit, RSS ${Math.round(rssRatio * 100)}% of ${of}`;
  return {
    status,
    message,
    details: {
      rssBytes: rss,
      memoryLimitBytes: limit,
      rssRatio: round(rssRatio, 4),
      heapUsedBytes: heap.used_heap_size,
      heapLimitBytes: heap.heap_size_limit,
      heapUsedRatio: round(heapRatio, 4),
    },
  };
}

export async function diskCheck(t: DefaultCheckThresholds) {
  const s = await statfs(t.diskPath);
  const total = s.blocks * s.bsize;
  const free = s.bavail * s.bsize;
  const ratio = total > 0 ? free / total : 1;
  const status = below(ratio, t.diskFreeRatio);
  return {
    status,
    message: status === 'healthy' ? 'Disk space OK' : `only ${round(ratio * 100, 1)}% free on the filesystem of the working directory`,
    details: { freeBytes: free, totalBytes: total, freeRatio: round(ratio, 4) },
  };
}

const MIN_WINDOW_MS = 3000;

/** One event-loop delay histogram per process, reset at a read once MIN_WINDOW_MS has passed. */
function loopHistogram(): IntervalHistogram {
  const health = getState().health;
  let h = health.loopHistogram;
  if (!h) {
    h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    health.loopHistogram = h;
  }
  return h;
}

export function startLoopMonitor(): void {
  loopHistogram();
}

export function eventLoopCheck(t: DefaultCheckThresholds) {
  const h = loopHistogram();
  const health = getState().health;
  const now = Date.now();
  const max = h.count > 0 ? h.max / 1e6 : 0;
  const p99 = h.count > 0 ? h.percentile(99) / 1e6 : 0;
  const samples = h.count;
  // A stall is reported for MIN_WINDOW_MS from the first read that sees it, whatever the
  // histogram holds by then: that read may also be the one that resets the window, and the next
  // run, one interval later, would otherwise say healthy before a probe looked. The histogram
  // can still hold it after that (until its window ends): a stall already reported no longer counts.
  if (max >= t.eventLoopDelayMs.unhealthy && health.loopStall?.maxMs !== max) health.loopStall = { maxMs: max, p99Ms: p99, at: now };
  const stall = health.loopStall;
  const recent = stall !== undefined && now - stall.at < MIN_WINDOW_MS ? stall : undefined;
  // The window is the time since the last reset, but at least MIN_WINDOW_MS.
  if (now - health.loopResetAt >= MIN_WINDOW_MS) {
    h.reset();
    health.loopResetAt = now;
  }
  if (samples === 0 && recent === undefined) {
    return { status: 'healthy' as const, message: 'Event loop OK (no samples yet)', details: { samples: 0 } };
  }
  // A recent stall is reported as read (the histogram's max is that stall, or a delay under the
  // threshold: another stall would have replaced it); one the histogram still holds after its
  // time counts only through the p99.
  const maxMs = recent !== undefined ? recent.maxMs : stall?.maxMs === max ? p99 : max;
  const p99Ms = recent !== undefined ? Math.max(recent.p99Ms, p99) : p99;
  // p99 for sustained delay; a single stall past the unhealthy threshold is unhealthy by itself.
  const stalled = maxMs >= t.eventLoopDelayMs.unhealthy;
  const status = stalled ? 'unhealthy' : above(p99Ms, t.eventLoopDelayMs);
  return {
    status,
    message:
      status === 'healthy'
        ? 'Event loop OK'
        : stalled
          ? `event loop stalled ${round(maxMs, 1)} ms (p99 ${round(p99Ms, 1)} ms)`
          : `event-loop delay p99 ${round(p99Ms, 1)} ms`,
    details: { p99Ms: round(p99Ms, 2), maxMs: round(maxMs, 2), samples, thresholds: t.eventLoopDelayMs },
  };
}
