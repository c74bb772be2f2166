import { trace, type Context } from '@opentelemetry/api';
import { getState } from '../state.js';
import { profilingState } from '../profiling/session.js';
import { getConfig } from '../config/index.js';
import { bucketOf, LatencyStats, type LatencyRow } from './latency.js';
import { hrMs, summarize, toRecentSpan, type ReadableSpanLike, type RecentSpan, type TraceSummary } from './span-json.js';

export { toRecentSpan, type ReadableSpanLike, type RecentSpan, type TraceSummary } from './span-json.js';

export interface TraceRec {
  id: string;
  spans: ReadableSpanLike[];
  /** Latency/error samples pointing at this trace: while > 0 eviction passes it over. */
  pins: number;
  dropped: number;
  /** Kept from a span's end on (an example), not from its root's start: earlier spans are missing. */
  partial: boolean;
}

const ERROR = 2;
/** A runaway trace (a loop making spans under one root) must not take the whole budget. */
const MAX_SPANS_PER_TRACE = 500;
/** Pinned traces passed over per eviction before the oldest goes regardless (bounds the work). */
const MAX_ROTATIONS = 8;

/**
 * The recent-spans store: finished spans grouped by trace, bounded by a total span count.
 * Recording stores the span object by reference (no copy, no allocation but a trace record
 * per new trace) and updates the zPages-style latency counts; conversion to JSON happens only
 * when a route asks. Eviction drops whole traces, oldest first, passing over the traces that
 * latency-bucket and error samples point at — so errors and slow traces, which land in
 * sparsely used buckets, outlive the stream of ordinary fast ones.
 */
export class SpanStore {
  private readonly traces = new Map<string, TraceRec>();
  /** Spans whose trace was chosen at its root's start (so their end is recorded). */
  private readonly kept = new WeakSet();
  /**
   * Eviction order, oldest first. A ring of its own because a Map used as a FIFO is slow in
   * V8: deleted entries stay as holes that every `keys().next()` walks over.
   */
  private queue = new Array<TraceRec | undefined>(16);
  private qHead = 0;
  private qSize = 0;
  private count = 0;
  private tokens: number;
  private lastRefill = 0;
  private readonly burst: number;
  readonly latency: LatencyStats;

  constructor(
    readonly capacity: number,
    private readonly perSecond = 10,
  ) {
    this.burst = Math.max(1, perSecond * 5);
    this.tokens = this.burst;
    this.latency = new LatencyStats((traceId, delta) => {
      const rec = this.traces.get(traceId);
      if (rec !== undefined && (delta > 0 || rec.pins > 0)) rec.pins += delta;
    });
  }

  /**
   * Hot path, span start: a local root span decides whether its trace is kept whole (token
   * bucket: MONITORING_UI_TRACES_PER_SECOND, bursts of 5 s worth). Spans of other traces are
   * only counted, unless they become a latency/error example (see add), which keeps that span
   * and the later ones of its trace that are examples too: retaining every span would make
   * the garbage collector pay for all of them.
   */
  start(span: ReadableSpanLike, parentContext?: Context): void {
    if (this.capacity === 0) return;
    const p = span.parentSpanContext;
    if (p !== undefined && p.isRemote !== true) {
      // A child is kept when its parent is. Asking a WeakSet about an object that was never
      // added is nearly free (no identity hash yet), unlike hashing a trace id per span.
      const parent = parentContext === undefined ? undefined : trace.getSpan(parentContext);
      if (parent !== undefined && this.kept.has(parent)) this.kept.add(span);
      return;
    }
    const t = span.startTime;
    const ms = t[0] * 1e3 + t[1] / 1e6;
    this.tokens = Math.min(this.burst, this.tokens + ((ms - this.lastRefill) * this.perSecond) / 1000);
    this.lastRefill = ms;
    if (this.tokens < 1) return;
    this.tokens--;
    this.kept.add(span);
    this.open(span.spanContext().traceId, false);
  }

  /** Hot path, span end. */
  add(span: ReadableSpanLike): void {
    if (this.capacity === 0) return;
    const d = span.duration;
    const t = span.startTime;
    const error = span.status.code === ERROR;
    const due = this.latency.record(span.name, bucketOf(d[0] * 1e3 + d[1] / 1e6), error, t[0] * 1e3 + t[1] / 1e6);
    if (!due && !this.kept.has(span)) return;
    const traceId = span.spanContext().traceId;
    let rec = this.traces.get(traceId);
    if (rec === undefined) {
      // Not chosen at its start (or evicted since): kept from here on only as an example
      // (an error, or the first span in a while in its latency bucket).
      if (!due) return;
      rec = this.open(traceId, true);
    }
    if (rec.spans.length < MAX_SPANS_PER_TRACE) {
      rec.spans.push(span);
      this.count++;
    } else rec.dropped++;
    if (due) this.latency.takeSample(traceId);
    while (this.count > this.capacity) this.evictOne();
  }

  private open(traceId: string, partial: boolean): TraceRec {
    const rec: TraceRec = { id: traceId, spans: [], pins: 0, dropped: 0, partial };
    this.traces.set(traceId, rec);
    this.enqueue(rec);
    return rec;
  }

  private enqueue(rec: TraceRec): void {
    if (this.qSize === this.queue.length) {
      // Grow (power of two), unrolling the ring so the oldest is at 0.
      const bigger = new Array<TraceRec | undefined>(this.queue.length * 2);
      for (let i = 0; i < this.qSize; i++) bigger[i] = this.queue[(this.qHead + i) & (this.queue.length - 1)];
      this.queue = bigger;
      this.qHead = 0;
    }
    this.queue[(this.qHead + this.qSize) & (this.queue.length - 1)] = rec;
    this.qSize++;
  }

  private dequeue(): TraceRec | undefined {
    if (this.qSize === 0) return undefined;
    const rec = this.queue[this.qHead];
    this.queue[this.qHead] = undefined;
    this.qHead = (this.qHead + 1) & (this.queue.length - 1);
    this.qSize--;
    return rec;
  }

  private evictOne(): void {
    for (let i = 0; ; i++) {
      const rec = this.dequeue();
      if (rec === undefined) return;
      if (rec.pins > 0 && i < MAX_ROTATIONS && this.qSize > 0) {
        this.enqueue(rec); // pinned: to the back, look at the next oldest
        continue;
      }
      this.traces.delete(rec.id);
      this.count -= rec.spans.length;
      return;
    }
  }

  /** Every kept span, converted, oldest end first (the shape /status has always served). */
  toArray(): RecentSpan[] {
    const all: ReadableSpanLike[] = [];
    for (const rec of this.traces.values()) for (const s of rec.spans) all.push(s);
    const end = (s: ReadableSpanLike) => hrMs(s.startTime) + hrMs(s.duration);
    all.sort((a, b) => end(a) - end(b));
    return all.map(toRecentSpan);
  }

  /** The spans of one trace, converted (undefined when the trace is not kept). */
  trace(traceId: string): { spans: RecentSpan[]; dropped: number; sampled: boolean } | undefined {
    const rec = this.traces.get(traceId);
    if (rec === undefined) return undefined;
    const spans = rec.spans.map(toRecentSpan).sort((a, b) => a.startTimeMs - b.startTimeMs);
    return { spans, dropped: rec.dropped, sampled: rec.pins > 0 };
  }

  /** One summary per kept trace, newest start first. */
  traceSummaries(): TraceSummary[] {
    const out: TraceSummary[] = [];
    for (const [traceId, rec] of this.traces) out.push(summarize(traceId, rec));
    return out.sort((a, b) => b.startTimeMs - a.startTimeMs);
  }

  latencyTable(): LatencyRow[] {
    return this.latency.rows((id) => this.traces.has(id));
  }

  has(traceId: string): boolean {
    return this.traces.has(traceId);
  }

  clear(): void {
    this.traces.clear();
    this.queue = new Array<TraceRec | undefined>(16);
    this.qHead = 0;
    this.qSize = 0;
    this.count = 0;
    this.latency.clear();
  }

  get length(): number {
    return this.count;
  }
}

function envRate(): number {
  return Math.min(getConfig().monitoring.ui.tracesPerSecond, 100_000);
}

function envCapacity(): number {
  const { enabled, recentSpans: n } = getConfig().monitoring.ui;
  if (!enabled) return 0;
  return Number.isInteger(n) ? Math.min(n, 100_000) : 2000;
}

/** The process's store of recent finished spans (bounded; off with MONITORING_UI=false). */
export function recentSpans(): SpanStore {
  return (getState().recent.spans ??= new SpanStore(envCapacity(), envRate()));
}

/** A SpanProcessor that keeps finished spans for /status and the status page (no export, no I/O). */
export class RecentSpanProcessor {
  private readonly store = recentSpans();
  /** While a CPU profile runs, src/profiling sets `spanTap` here to label samples with spans. */
  private readonly profiling = profilingState();
  onStart(span: ReadableSpanLike, parentContext: Context): void {
    try {
      this.store.start(span, parentContext);
      this.profiling.spanTap?.(span, false);
    } catch {
      /* ignored: the store is best effort */
    }
  }
  onEnd(span: ReadableSpanLike): void {
    // Never let a malformed span reach the app's span.end().
    try {
      this.store.add(span);
      this.profiling.spanTap?.(span, true);
    } catch {
      /* ignored: the ring is best effort */
    }
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
