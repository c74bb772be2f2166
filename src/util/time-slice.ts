/**
 * A slice of sliced work (a cluster's workers' lines, decoding, merging, encoding; collecting the
 * facade's series for an OTLP export): short enough that the exposition's own 5 ms step fits
 * beside it under the 20 ms a serving process's event loop may be held.
 */
export const SLICE_MS = 5;

// One budget per turn of the event loop, shared by every kind of sliced work in this process:
// immediates queued before a check phase all run in it, so separate budgets would add up (four
// sockets' lines and a merge slice, 5 ms each, would hold the loop 25 ms).
let turnStart: number | undefined;

/** True once the sliced work of this turn of the event loop has run `budgetMs`. */
export function turnUsedUp(budgetMs = SLICE_MS): boolean {
  const now = performance.now();
  if (turnStart === undefined) {
    turnStart = now;
    // Queued before any continuation scheduled from now on: that continuation starts a new budget.
    setImmediate(() => (turnStart = undefined));
    return false;
  }
  return now - turnStart >= budgetMs;
}

/**
 * Time slices for work that must not hold the event loop: the work asks `due()` now and then
 * (a clock read), and when the turn's budget is used up awaits `next()`, which gives the loop
 * back (setImmediate: timers, I/O and other requests run).
 */
export class TimeSlicer {
  /** `budgetMs`: the longest sliced work may run in one turn of the loop. */
  constructor(private readonly budgetMs = SLICE_MS) {}

  due(): boolean {
    return turnUsedUp(this.budgetMs);
  }

  async next(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Run a generator that yields where it may pause, giving the loop back whenever the turn's budget is used up. */
  async run<T>(steps: Generator<unknown, T>): Promise<T> {
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
      if (this.due()) await this.next();
    }
  }
}
