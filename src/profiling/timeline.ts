import { maskUrlCredentials } from '../util/redact.js';
import { MAX_PROFILE_SPANS } from './config.js';
import { IDLE, type CpuProfile } from './devtools.js';

/** The parts of the SDK's span the timeline reads. */
interface SpanLike {
  name: string;
  spanContext(): { traceId: string };
  startTime: [number, number];
}

/** A span as the labels name it. */
export interface SpanRef {
  name: string;
  traceId: string;
}

/** Per sample: the index in `spans` of the span it is charged to, or -1. */
export interface SampleSpans {
  spans: SpanRef[];
  ofSample: Int32Array;
  /** Spans seen past MAX_PROFILE_SPANS (their samples stay unlabelled). */
  dropped: number;
}

/**
 * The spans a CPU profile's samples are charged to. While the profile runs, the span processor
 * hands every span to `tap` as it starts and as it ends, and the tap notes the time: V8 stamps
 * samples in microseconds of the monotonic clock (the one process.hrtime() and performance.now()
 * read), so bounds taken from that clock at the moment line up with them to the microsecond.
 * The SDK's own stamps would not do: a span's startTime is Date.now(), a whole millisecond, and
 * short spans lost their last samples to it. A span already running when the profile started
 * gets its start from startTime, mapped onto the monotonic clock.
 */
export class SpanTimeline {
  /** Every span seen, in the order first seen; its index into `starts` and `ends`. */
  private readonly spans: SpanLike[] = [];
  private readonly index = new Map<SpanLike, number>();
  /** Monotonic microseconds; NaN: not seen (a start not seen is taken from startTime at the end). */
  private starts: Float64Array = new Float64Array(1024);
  private ends: Float64Array = new Float64Array(1024);
  private dropped = 0;
  /** performance.now() (ms) to monotonic microseconds. */
  private readonly perfUs: number;
  /** Wall-clock microseconds to monotonic microseconds. */
  private readonly wallUs: number;

  constructor() {
    const hr = Number(process.hrtime.bigint()) / 1000;
    this.perfUs = hr - performance.now() * 1000;
    // Date.now() truncates: the true wall time is on average half a millisecond later.
    this.wallUs = hr - (Date.now() * 1000 + 500);
  }

  readonly tap = (span: object, ended: boolean): void => {
    const t = performance.now() * 1000 + this.perfUs;
    let i = this.index.get(span as SpanLike);
    if (i === undefined) {
      i = this.spans.length;
      if (i >= MAX_PROFILE_SPANS) {
        this.dropped++;
        return;
      }
      if (i === this.starts.length) {
        this.starts = grow(this.starts);
        this.ends = grow(this.ends);
      }
      this.spans.push(span as SpanLike);
      this.index.set(span as SpanLike, i);
      this.starts[i] = NaN;
      this.ends[i] = NaN;
    }
    (ended ? this.ends : this.starts)[i] = t;
  };

  /**
   * Charge each sample to the innermost span covering its time: of the spans open then, the
   * one that started last (a child starts after its parent). Spans of concurrent requests
   * overlap; time alone cannot tell which of them the main thread was running, so a sample
   * goes to the most recently started one.
   *
   * A busy window sees far more spans than samples, so the work per span is a few array reads:
   * spans first seen at their start are already in start order (the tap's clock only moves
   * forward), only the few already running when the profile started need sorting, and names,
   * trace ids and the credential masking are read only for spans some sample is charged to.
   */
  assign(profile: CpuProfile): SampleSpans {
    const n = profile.samples.length;
    const ofSample = new Int32Array(n).fill(-1);
    const refs: SpanRef[] = [];
    const result = { spans: refs, ofSample, dropped: this.dropped };
    const { spans, starts, ends } = this;
    const m = spans.length;
    if (m === 0 || n === 0) return result;
    const inOrder: number[] = [];
    const late: number[] = [];
    for (let i = 0; i < m; i++) {
      if (!Number.isNaN(starts[i]!)) inOrder.push(i);
      else {
        const t = spans[i]!.startTime;
        starts[i] = Array.isArray(t) ? t[0] * 1e6 + t[1] / 1e3 + this.wallUs : NaN;
        if (!Number.isNaN(starts[i]!)) late.push(i);
      }
      // Not ended while the profile ran: it covers the rest of the profile.
      if (Number.isNaN(ends[i]!)) ends[i] = Infinity;
    }
    late.sort((a, b) => starts[a]! - starts[b]!);
    const ref = new Int32Array(m).fill(-1);
    const refOf = (i: number): number => {
      if (ref[i] === -1) {
        try {
          const s = spans[i]!;
          // Span names are the app's data: no password in a URL goes into a label.
          refs.push({ name: maskUrlCredentials(String(s.name)), traceId: s.spanContext().traceId });
          ref[i] = refs.length - 1;
        } catch {
          ref[i] = -2;
        }
      }
      return Math.max(-1, ref[i]!);
    };

    const times = sampleTimes(profile);
    const idle = idleNodes(profile);
    // V8's deltas are almost always >= 0, not always: visit samples in time order.
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => times[a]! - times[b]!);
    let nextA = 0;
    let nextB = 0;
    let open: number[] = [];
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      const t = times[i]!;
      // Open every span started by now, merging the two start-ordered lists.
      for (;;) {
        const a = nextA < inOrder.length ? inOrder[nextA]! : -1;
        const b = nextB < late.length ? late[nextB]! : -1;
        const pick = a < 0 ? b : b < 0 ? a : starts[b]! < starts[a]! ? b : a;
        if (pick < 0 || starts[pick]! > t) break;
        open.push(pick);
        if (pick === a) nextA++;
        else nextB++;
      }
      // Ended spans never cover a later sample: drop them once they pile up.
      if (open.length > 64) open = open.filter((j) => ends[j]! >= t);
      if (idle.has(profile.samples[i]!)) continue;
      for (let j = open.length - 1; j >= 0; j--) {
        if (ends[open[j]!]! >= t) {
          ofSample[i] = refOf(open[j]!);
          break;
        }
      }
    }
    this.spans.length = 0;
    this.index.clear();
    return result;
  }
}

function grow(a: Float64Array): Float64Array {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

/** Each sample's time, in microseconds of the monotonic clock. */
export function sampleTimes(profile: CpuProfile): Float64Array {
  const out = new Float64Array(profile.samples.length);
  let t = profile.startTime;
  for (let i = 0; i < out.length; i++) out[i] = t += profile.timeDeltas[i] ?? 0;
  return out;
}

/**
 * CPU time per sample in microseconds: until the next sample (the last: until the profile's
 * end), as DevTools counts it.
 */
export function sampleDurations(profile: CpuProfile, times = sampleTimes(profile)): Float64Array {
  const n = times.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.max(0, (i + 1 < n ? times[i + 1]! : profile.endTime) - times[i]!);
  return out;
}

/** The ids of the `(idle)` nodes: samples there are the event loop waiting, no CPU time. */
export function idleNodes(profile: CpuProfile): Set<number> {
  const out = new Set<number>();
  for (const node of profile.nodes) if (node.callFrame.functionName === IDLE) out.add(node.id);
  return out;
}
