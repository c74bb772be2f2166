import { diag } from '@opentelemetry/api';
import { PACKAGE_NAME } from '../package-info.js';
import { getState, type MonitoringState } from '../state.js';

// A scrape of any size without stalling the app: the text is written a step at a time (each
// step ends when SLICE_MS have passed), the event loop gets a turn between steps, and the
// writer stays at most one piece ahead of its fastest client (back-pressure: a slow client
// slows the writing instead of filling memory; one piece ahead lets the next piece be written
// while the last one is on its way). Clients sharing a pass that read slower than the fastest
// keep the pieces they have not read, at most the whole text, as a one-piece scrape held.
//
// Concurrent scrapes of one format share one pass over the data, bounded rather than queued
// one by one: a scrape that arrives while a pass has all its pieces joins it and reads from
// the start; one that arrives after the pass let its first piece go (every client had it)
// waits for that pass to end and then starts, or joins, the next. A burst of scrapes costs
// one or two passes, never one each, and the pieces are kept only until every client has
// them. A pass whose clients have all gone stops.

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
      if (this.index < pass.chunks.length) return pass.take(this);
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
  /** The pieces; one every client has read is released (undefined). */
  readonly chunks: (Buffer | undefined)[] = [];
  readonly readers = new Set<Reader>();
  /** How many leading pieces are released: a pass that let one go takes no new client. */
  released = 0;
  finished = false;
  error: Error | undefined;
  readonly ready: Promise<void>;
  /** Settles when the pass is over (finished, failed or stopped). */
  readonly over: Promise<void>;
  private end!: () => void;
  private writerWaiting: (() => void) | undefined;
  private readonly stats = scrapeStats();

  constructor(start: () => Promise<StepWriter>) {
    this.stats.passes++;
    this.over = new Promise<void>((resolve) => (this.end = resolve));
    const writer = start();
    this.ready = writer.then(() => undefined);
    void this.run(writer);
  }

  get joinable(): boolean {
    return this.released === 0 && !this.finished && this.error === undefined && !this.stopped;
  }

  private stopped = false;

  join(): Reader {
    const r = new Reader(this);
    this.readers.add(r);
    return r;
  }

  take(r: Reader): Buffer {
    const chunk = this.chunks[r.index++]!;
    this.release();
    this.wakeWriter();
    return chunk;
  }

  leave(r: Reader): void {
    this.readers.delete(r);
    this.release();
    this.wakeWriter();
  }

  wakeWriter(): void {
    const w = this.writerWaiting;
    this.writerWaiting = undefined;
    w?.();
  }

  /** Lets go of the pieces every client has read. */
  private release(): void {
    let low = this.chunks.length;
    for (const r of this.readers) if (r.index < low) low = r.index;
    if (this.readers.size === 0) return;
    while (this.released < low) this.chunks[this.released++] = undefined;
  }

  /**
   * Write on while the fastest client has read everything written (it may be sending the last
   * piece). Not the slowest: a client that stalls (or a pipelined request queued behind another
   * response on its connection) must not stall the others; its unread pieces wait for it.
   */
  private wanted(): boolean {
    for (const r of this.readers) if (r.index >= this.chunks.length) return true;
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
          this.stopped = true;
          this.stats.abandoned++;
          return;
        }
        if (!this.wanted()) {
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
      this.wakeReaders();
      this.end();
    }
  }
}

/**
 * The writer's whole text as one string, written in SLICE_MS steps with the event loop's turn
 * between them (for callers that want a string, not a stream). Pieces are kept as bytes (see
 * Pass.run); only the final decoding is one block, about 0.5 ms per MB.
 */
export async function writeAll(writer: StepWriter): Promise<string> {
  const parts: Buffer[] = [];
  for (;;) {
    const piece = writer.step(performance.now() + SLICE_MS);
    if (piece === null) return Buffer.concat(parts).toString();
    if (piece.length > 0) parts.push(typeof piece === 'string' ? Buffer.from(piece) : piece);
    await yieldToLoop();
  }
}

const passes = new Map<string, Pass>();

/**
 * A reader of the scrape `key` (one per format): joins the pass in progress while it still
 * has all its pieces, else waits for it to end and joins (or starts, with `start`, which
 * collects and makes the writer) the next. Rejects when `start` fails, before any text: the
 * route can still answer with an error status.
 */
export async function openScrape(key: string, start: () => Promise<StepWriter>): Promise<ScrapeReader> {
  let pass = passes.get(key);
  while (pass !== undefined && !pass.joinable) {
    if (pass.finished || pass.error !== undefined || pass.readers.size === 0) break;
    await pass.over;
    pass = passes.get(key);
  }
  if (pass === undefined || !pass.joinable) {
    const p = new Pass(start);
    passes.set(key, p);
    void p.over.then(() => {
      if (passes.get(key) === p) passes.delete(key);
    });
    pass = p;
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
