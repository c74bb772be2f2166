import { getConfig } from '../config/index.js';
import { warnOnce } from '../util/report.js';
import { getState } from '../state.js';

// Series that expire (MONITORING_SERIES_TTL_MS, a declaration's `ttlMs`). Recording must not
// read the time (Date.now() measured ~100 ns a call here, Node 20, twice a whole counter add
// with two attributes), so a series notes the instrument's current *tick*, a small integer
// only the sweep moves on; the sweep remembers when each tick began and so knows, for each
// tick, the latest time a series that noted it can have been recorded.

/**
 * The time the series store reads: Date.now(), moved forward by moveSeriesClock(). On the
 * process state, so the ESM and CommonJS copies (register's bundle) read the same clock.
 */
export function clockNow(): number {
  return Date.now() + (getState().metrics.clockOffsetMs ?? 0);
}

/** Moves the series clock forward: tests expire series without waiting (internal, not exported by the package). */
export function moveSeriesClock(ms: number): void {
  const m = getState().metrics;
  m.clockOffsetMs = (m.clockOffsetMs ?? 0) + ms;
}

/** True for a usable TTL: a finite number of milliseconds, 0 meaning never. */
export function isValidTtl(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

/** The TTL of series whose declaration gives none: MONITORING_SERIES_TTL_MS, 0 (never) when unset or invalid. */
export function defaultSeriesTtlMs(): number {
  const { seriesTtlMs, seriesTtlProblem } = getConfig().monitoring;
  if (seriesTtlProblem !== undefined) warnOnce(seriesTtlProblem);
  return seriesTtlMs ?? 0;
}

/** How often the store's timer sweeps series of a given TTL (collections sweep too). */
export function sweepIntervalMs(ttlMs: number): number {
  return Math.min(60_000, Math.max(1000, Math.floor(ttlMs / 4)));
}

/**
 * One instrument's ticks: when each began. A series noting tick t was last recorded before
 * tick t + 1 began; it has been idle for at least the TTL once that start is TTL old.
 */
export class Ticks {
  /** The current tick (series note it when recorded). */
  tick = 0;
  /** Start times of ticks `first`, `first + 1`, ... `tick`. */
  private starts: number[];
  private first = 0;

  constructor(nowMs: number) {
    this.starts = [nowMs];
  }

  /**
   * Begins a new tick at `nowMs` and returns the cutoff: series that noted a tick below it have
   * been idle for at least `ttlMs`. Keeps only the starts a later cutoff can still need.
   */
  advance(nowMs: number, ttlMs: number): number {
    this.tick++;
    this.starts.push(nowMs);
    const limit = nowMs - ttlMs;
    // The latest tick that began at or before `limit`: every tick before it ended by then.
    let j = -1;
    while (j + 1 < this.starts.length && this.starts[j + 1]! <= limit) j++;
    if (j <= 0) return this.first + Math.max(j, 0);
    this.starts.splice(0, j);
    this.first += j;
    return this.first;
  }
}

/** Series (or trie nodes) freed per slice: 1,000 took 2-4 ms on average on a 2-core machine at load 10 (Node 20). */
const SLICE_STEPS = 1000;

/**
 * Runs one instrument's reclamation (a generator of small steps) in slices on unref'd
 * timers, so freeing many expired series never blocks the event loop in one piece. A start
 * while running restarts it once done: series expired meanwhile may sit where it already passed.
 */
export class Reclaimer {
  private steps: Iterator<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly make: () => Iterator<void>) {}

  start(): void {
    if (this.steps !== undefined) this.again = true;
    else this.steps = this.make();
    if (this.timer === undefined) this.schedule();
  }

  /** Up to `budget` steps; true when done. */
  run(budget: number): boolean {
    for (let n = 0; this.steps !== undefined; n++) {
      if (n >= budget) return false;
      if (this.steps.next().done === true) {
        this.steps = this.again ? this.make() : undefined;
        this.again = false;
      }
    }
    return true;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.run(SLICE_STEPS)) this.schedule();
    }, 0);
    this.timer.unref();
  }
}
