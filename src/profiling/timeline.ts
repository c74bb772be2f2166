import { maskUrlCredentials } from '../util/redact.js';
import { MAX_PROFILE_SPANS } from './config.js';
import { IDLE, type CpuProfile } from './devtools.js';

/** The parts of the SDK's span the timeline reads (at its end, `duration` is set). */
interface SpanLike {
  name: string;
  spanContext(): { traceId: string };
  startTime: [number, number];
  duration: [number, number];
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

/** Distinct span names remembered per profile; past this, more names count as one. */
const MAX_NAMES = 10_000;
const OTHER_NAME = '(more span names than a profile keeps)';

/**
 * The spans a CPU profile's samples are charged to. While the profile runs, the span processor
 * hands every span to `tap` as it starts and as it ends.
 *
 * Clocks: V8 stamps samples in microseconds of the monotonic clock that performance.now() also
 * reads. A span's end is that clock read in the tap, its start the end less its duration (which
 * the SDK measures with performance.now()), so both line up with the samples to the
 * microsecond. The SDK's startTime would not do: it is Date.now(), a whole millisecond, and short
 * spans lost their last samples to it.
 *
 * Memory: keeping the span objects of a busy window (tens of thousands a second) alive until the
 * profile ends made them survive young-generation collections, and the copying cost the app
 * more than the profiler did. An ended span is kept as numbers instead (bounds, an index into
 * the names, its trace id as four 32-bit words); only spans still running are held, as long as
 * they run.
 */
export class SpanTimeline {
  private count = 0;
  private starts: Float64Array = new Float64Array(4096);
  private ends: Float64Array = new Float64Array(4096);
  private nameOf: Int32Array = new Int32Array(4096);
  private traceWords: Uint32Array = new Uint32Array(4096 * 4);
  private readonly names: string[] = [];
  private readonly nameIds = new Map<string, number>();
  /** Spans started during the profile and not ended yet. */
  private readonly running = new Set<SpanLike>();
  private dropped = 0;
  /** performance.now() (ms) to monotonic microseconds. */
  private readonly perfUs = Number(process.hrtime.bigint()) / 1000 - performance.now() * 1000;
  /** Wall-clock microseconds to monotonic ones; Date.now() truncates, the true time is on average 0.5 ms later. */
  private readonly wallUs = Number(process.hrtime.bigint()) / 1000 - (Date.now() * 1000 + 500);

  readonly tap = (span: object, ended: boolean): void => {
    const s = span as SpanLike;
    if (!ended) {
      if (this.running.size < MAX_PROFILE_SPANS) this.running.add(s);
      return;
    }
    const t = performance.now() * 1000 + this.perfUs;
    this.running.delete(s);
    const d = s.duration;
    if (Array.isArray(d) && d[0] >= 0) this.record(t - (d[0] * 1e6 + d[1] / 1e3), t, s);
  };

  private record(start: number, end: number, s: SpanLike): void {
    const i = this.count;
    if (i >= MAX_PROFILE_SPANS) {
      this.dropped++;
      return;
    }
    if (i === this.starts.length) this.grow();
    this.starts[i] = start;
    this.ends[i] = end;
    this.nameOf[i] = this.nameId(s.name);
    // By hand: four parseInt(substring) calls cost twice as much, per span, on the app's time.
    const id = s.spanContext().traceId;
    for (let w = 0; w < 4; w++) {
      let v = 0;
      for (let c = w * 8; c < w * 8 + 8; c++) {
        const h = id.charCodeAt(c);
        v = v * 16 + (h <= 57 ? h - 48 : (h | 32) - 87);
      }
      this.traceWords[i * 4 + w] = v;
    }
    this.count++;
  }

  private nameId(name: string): number {
    let id = this.nameIds.get(name);
    if (id === undefined) {
      id = this.names.length < MAX_NAMES ? this.names.length : -1;
      if (id >= 0) {
        this.names.push(name);
        this.nameIds.set(name, id);
      }
    }
    return id;
  }

  private grow(): void {
    const n = this.starts.length * 2;
    this.starts = copied(new Float64Array(n), this.starts);
    this.ends = copied(new Float64Array(n), this.ends);
    this.nameOf = copied(new Int32Array(n), this.nameOf);
    this.traceWords = copied(new Uint32Array(n * 4), this.traceWords);
  }

  private traceId(i: number): string {
    let out = '';
    for (let w = 0; w < 4; w++) out += this.traceWords[i * 4 + w]!.toString(16).padStart(8, '0');
    return out;
  }

  /**
   * Charge each sample to the innermost span covering its time: of the spans open then, the
   * one that started last (a child starts after its parent). Spans of concurrent requests
   * overlap; time alone cannot tell which of them the main thread was running, so a sample
   * goes to the most recently started one. Each span looks up the samples in its bounds by
   * binary search: most spans of a busy window cover no sample at all.
   */
  assign(profile: CpuProfile): SampleSpans {
    // Spans still running when the profile stopped cover the rest of it.
    // Their start is the SDK's startTime (to the millisecond: these are the long ones).
    for (const s of this.running) {
      try {
        this.record(s.startTime[0] * 1e6 + s.startTime[1] / 1e3 + this.wallUs, Infinity, s);
      } catch {
        // A span whose name or context cannot be read is left out.
      }
    }
    this.running.clear();
    const n = profile.samples.length;
    const ofSample = new Int32Array(n).fill(-1);
    const refs: SpanRef[] = [];
    const times = sampleTimes(profile);
    // V8's deltas are almost always >= 0, not always: work on the samples in time order.
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => times[a]! - times[b]!);
    const sorted = Float64Array.from(order, (i) => times[i]!);
    const bestStart = new Float64Array(n).fill(-Infinity);
    const who = new Int32Array(n).fill(-1);
    for (let i = 0; i < this.count; i++) {
      const start = this.starts[i]!;
      const end = this.ends[i]!;
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sorted[mid]! < start) lo = mid + 1;
        else hi = mid;
      }
      for (let k = lo; k < n && sorted[k]! <= end; k++) {
        // Ties go to the span that ended first: a child ends before its parent.
        if (start > bestStart[k]!) {
          bestStart[k] = start;
          who[k] = i;
        }
      }
    }
    const idle = idleNodes(profile);
    const refOf = new Map<number, number>();
    for (let k = 0; k < n; k++) {
      const i = who[k]!;
      const sample = order[k]!;
      if (i < 0 || idle.has(profile.samples[sample]!)) continue;
      let r = refOf.get(i);
      if (r === undefined) {
        const id = this.nameOf[i]!;
        // Span names are the app's data: no password in a URL goes into a label.
        refs.push({ name: maskUrlCredentials(id >= 0 ? this.names[id]! : OTHER_NAME), traceId: this.traceId(i) });
        refOf.set(i, (r = refs.length - 1));
      }
      ofSample[sample] = r;
    }
    return { spans: refs, ofSample, dropped: this.dropped };
  }
}

function copied<T extends Float64Array | Int32Array | Uint32Array>(to: T, from: ArrayLike<number>): T {
  to.set(from);
  return to;
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
