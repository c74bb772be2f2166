/**
 * Time slices for work that must not hold the event loop: the work asks `due()` now and then
 * (cheap: a clock read), and when its slice is used up awaits `next()`, which gives the loop
 * back (setImmediate: timers, I/O and other requests run) and starts a new slice.
 */
export class TimeSlicer {
  private start = performance.now();

  /** `budgetMs`: the longest the work may run before giving the loop back. */
  constructor(private readonly budgetMs = SLICE_MS) {}

  due(): boolean {
    return performance.now() - this.start >= this.budgetMs;
  }

  async next(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.start = performance.now();
  }

  /** Run a generator that yields where it may pause, giving the loop back whenever a slice is used up. */
  async run<T>(steps: Generator<unknown, T>): Promise<T> {
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
      if (this.due()) await this.next();
    }
  }
}

/**
 * A slice of the cluster's scrape work (decode, merge, encode): short enough that several
 * slices of other work (the exposition's) fit under the 20 ms the leader's loop may be held.
 */
export const SLICE_MS = 5;
