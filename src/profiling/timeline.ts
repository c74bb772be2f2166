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
  /** Per span: [start, end] in monotonic microseconds (NaN: not seen). */
  private readonly seen = new Map<SpanLike, [number, number]>();
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
    let b = this.seen.get(span as SpanLike);
    if (b === undefined) {
      if (this.seen.size >= MAX_PROFILE_SPANS) {
        this.dropped++;
        return;
      }
      this.seen.set(span as SpanLike, (b = [NaN, NaN]));
    }
    b[ended ? 1 : 0] = t;
  };

  /**
   * Charge each sample to the innermost span covering its time: of the spans open then, the
   * one that started last (a child starts after its parent). Spans of concurrent requests
   * overlap; time alone cannot tell which of them the main thread was running, so a sample
   * goes to the most recently started one.
   */
  assign(profile: CpuProfile): SampleSpans {
    const n = profile.samples.length;
    const ofSample = new Int32Array(n).fill(-1);
    const spans: SpanRef[] = [];
    const intervals: { start: number; end: number; index: number }[] = [];
    for (const [s, [seenStart, seenEnd]] of this.seen) {
      let start = seenStart;
      let traceId: string;
      try {
        if (Number.isNaN(start)) start = s.startTime[0] * 1e6 + s.startTime[1] / 1e3 + this.wallUs;
        traceId = s.spanContext().traceId;
      } catch {
        continue;
      }
      // Not ended while the profile ran: it covers the rest of the profile.
      const end = Number.isNaN(seenEnd) ? Infinity : seenEnd;
      intervals.push({ start, end, index: spans.length });
      // Span names are the app's data: no password in a URL goes into a label.
      spans.push({ name: maskUrlCredentials(String(s.name)), traceId });
    }
    this.seen.clear();
    if (intervals.length === 0 || n === 0) return { spans, ofSample, dropped: this.dropped };
    intervals.sort((a, b) => a.start - b.start);

    const times = sampleTimes(profile);
    const idle = idleNodes(profile);
    // V8's deltas are almost always >= 0, not always: visit samples in time order.
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => times[a]! - times[b]!);
    let next = 0;
    let open: { start: number; end: number; index: number }[] = [];
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      const t = times[i]!;
      while (next < intervals.length && intervals[next]!.start <= t) open.push(intervals[next++]!);
      // Ended spans never cover a later sample: drop them once they pile up.
      if (open.length > 64) open = open.filter((o) => o.end >= t);
      if (idle.has(profile.samples[i]!)) continue;
      for (let j = open.length - 1; j >= 0; j--) {
        if (open[j]!.end >= t) {
          ofSample[i] = open[j]!.index;
          break;
        }
      }
    }
    return { spans, ofSample, dropped: this.dropped };
  }
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
