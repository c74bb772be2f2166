import { diag } from '@opentelemetry/api';
import { PACKAGE_NAME } from '../package-info.js';
import { getState, type MonitoringState } from '../state.js';

// A scrape of any size without stalling the app: the text is written a step at a time (each
// step ends when SLICE_MS have passed), the event loop gets a turn between steps, and a step
// runs only when a client is waiting for more (back-pressure: a slow client slows the writing
// instead of filling memory).
//
// Concurrent scrapes of one format share one pass over the data: a scrape that arrives while
// another is being written joins it and reads its text from the start (the pieces are kept
// until that pass is done, at most one copy of the text per format, which a one-piece scrape
// held per scrape). Sharing rather than queueing: three scrapes cost one pass, not three, and
// none waits for another to finish. A pass whose clients have all gone stops.

/** The longest a step runs before the event loop gets a turn (the goal is a block under 10 ms). */
export const SLICE_MS = 5;

/** Writes the text in steps: the next piece ('' when a step produced nothing yet), or null at the end. */
export interface StepWriter {
  step(deadline: number): string | Buffer | null;
}

/** One client's view of a pass: `next()` resolves with the next piece, or null at the end. */
export interface ScrapeReader {
  next(): Promise<Buffer | null>;
  /** The client left: stop reading (the pass stops when no client is left). */
  cancel(): void;
}

/** Passes started, finished, stopped because every client left, and steps run (in the shared state: register's bundle and the app's copy count together). */
export function scrapeStats(): MonitoringState['metrics']['scrapes'] {
  return getState().metrics.scrapes;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

class Reader implements ScrapeReader {
  index = 0;
  waiting: (() => void) | undefined;
  cancelled = false;
  constructor(private readonly pass: Pass) {}

  async next(): Promise<Buffer | null> {
    const pass = this.pass;
    for (;;) {
      if (this.cancelled) return null;
      if (this.index < pass.chunks.length) {
        const chunk = pass.chunks[this.index++]!;
        return chunk;
      }
      if (pass.error !== undefined) throw pass.error;
      if (pass.finished) return null;
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
        pass.wakeWriter();
      });
    }
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.waiting?.();
    this.waiting = undefined;
    this.pass.leave(this);
  }
}

class Pass {
  readonly chunks: Buffer[] = [];
  readonly readers = new Set<Reader>();
  finished = false;
  error: Error | undefined;
  readonly ready: Promise<void>;
  private writerWaiting: (() => void) | undefined;
  private readonly stats = scrapeStats();

  constructor(
    start: () => Promise<StepWriter>,
    private readonly onEnd: (pass: Pass) => void,
  ) {
    this.stats.passes++;
    const writer = start();
    this.ready = writer.then(() => undefined);
    void this.run(writer);
  }

  join(): Reader {
    const r = new Reader(this);
    this.readers.add(r);
    return r;
  }

  leave(r: Reader): void {
    this.readers.delete(r);
    if (this.readers.size === 0) this.wakeWriter();
  }

  wakeWriter(): void {
    const w = this.writerWaiting;
    this.writerWaiting = undefined;
    w?.();
  }

  private hungry(): boolean {
    for (const r of this.readers) if (r.waiting !== undefined) return true;
    return false;
  }

  private wakeReaders(): void {
    for (const r of this.readers) {
      const w = r.waiting;
      r.waiting = undefined;
      w?.();
    }
  }

  private async run(pending: Promise<StepWriter>): Promise<void> {
    try {
      const writer = await pending;
      for (;;) {
        if (this.readers.size === 0) {
          this.stats.abandoned++;
          return;
        }
        if (!this.hungry()) {
          await new Promise<void>((resolve) => (this.writerWaiting = resolve));
          continue;
        }
        this.stats.steps++;
        const chunk = writer.step(performance.now() + SLICE_MS);
        if (chunk === null) break;
        if (chunk.length > 0) {
          // Kept as bytes: a step's text is a tree of thousands of small strings, which young-
          // generation collections would otherwise copy for as long as the pass keeps it
          // (measured: scavenges of 30-90 ms with the text of a 100k-series scrape kept).
          this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
          this.wakeReaders();
        }
        await yieldToLoop();
      }
      this.finished = true;
      this.stats.finished++;
    } catch (err) {
      this.error = err instanceof Error ? err : new Error(String(err));
      diag.warn(`${PACKAGE_NAME}: a scrape failed: ${this.error.message}`);
    } finally {
      this.onEnd(this);
      this.wakeReaders();
    }
  }
}

const passes = new Map<string, Pass>();

/**
 * A reader of the scrape `key` (one per format): joins the pass in progress, or starts one
 * with `start` (which collects and makes the writer). Rejects when `start` fails, before any
 * text: the route can still answer with an error status.
 */
export async function openScrape(key: string, start: () => Promise<StepWriter>): Promise<ScrapeReader> {
  let pass = passes.get(key);
  if (pass === undefined) {
    pass = new Pass(start, (p) => {
      if (passes.get(key) === p) passes.delete(key);
    });
    passes.set(key, pass);
  }
  const reader = pass.join();
  try {
    await pass.ready;
  } catch (err) {
    reader.cancel();
    throw err;
  }
  return reader;
}
