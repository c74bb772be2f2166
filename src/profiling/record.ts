import { CPU_INTERVAL_US, HEAP_INTERVAL_BYTES } from './config.js';
import type { CpuProfile, HeapProfile } from './devtools.js';
import { profilingState, withSession } from './session.js';
import { SpanTimeline, type SampleSpans } from './timeline.js';

/** Resolves after `ms` or as soon as `signal` aborts; the timer never keeps the process alive. */
function window(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener('abort', done, { once: true });
  });
}

export interface CpuRecording {
  profile: CpuProfile;
  spans: SampleSpans;
  /** Wall-clock time the profile started (ms since the epoch). */
  startedAt: number;
}

/**
 * A CPU profile of the main thread for `seconds` (less when `signal` aborts), its samples
 * charged to the spans that ran meanwhile. Undefined when aborted: a profile cut short by a
 * client that went away is not kept.
 */
export function recordCpu(seconds: number, signal: AbortSignal): Promise<CpuRecording | undefined> {
  return withSession(async (post) => {
    await post('Profiler.enable');
    const state = profilingState();
    const timeline = new SpanTimeline();
    try {
      await post('Profiler.setSamplingInterval', { interval: CPU_INTERVAL_US });
      state.spanTap = timeline.tap;
      const startedAt = Date.now();
      await post('Profiler.start');
      await window(seconds * 1000, signal);
      const { profile } = await post<{ profile: CpuProfile }>('Profiler.stop');
      state.spanTap = undefined;
      if (signal.aborted) return undefined;
      return { profile, spans: timeline.assign(profile), startedAt };
    } finally {
      state.spanTap = undefined;
      await post('Profiler.disable').catch(() => {});
    }
  });
}

export interface HeapRecording {
  profile: HeapProfile;
  startedAt: number;
  durationMs: number;
}

/**
 * V8's sampling heap profiler over `seconds`: the allocations sampled meanwhile that are still
 * alive at the end (the profiler sees only allocations made while it runs).
 */
export function recordHeap(seconds: number, signal: AbortSignal): Promise<HeapRecording | undefined> {
  return withSession(async (post) => {
    await post('HeapProfiler.enable');
    try {
      const startedAt = Date.now();
      await post('HeapProfiler.startSampling', { samplingInterval: HEAP_INTERVAL_BYTES });
      await window(seconds * 1000, signal);
      const { profile } = await post<{ profile: HeapProfile }>('HeapProfiler.getSamplingProfile');
      await post('HeapProfiler.stopSampling');
      if (signal.aborted) return undefined;
      return { profile, startedAt, durationMs: Date.now() - startedAt };
    } finally {
      await post('HeapProfiler.disable').catch(() => {});
    }
  });
}
