// The shapes Chrome DevTools reads and V8's inspector produces: `.cpuprofile` (Profiler.Profile)
// and `.heapprofile` (HeapProfiler.SamplingHeapProfile). The routes serve them as V8 made them.

export interface CallFrame {
  functionName: string;
  scriptId: string;
  url: string;
  /** 0-based. */
  lineNumber: number;
  columnNumber: number;
}

export interface CpuNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}

/** Times in microseconds of the monotonic clock `process.hrtime()` reads (CLOCK_MONOTONIC on Linux). */
export interface CpuProfile {
  nodes: CpuNode[];
  startTime: number;
  endTime: number;
  /** The node each sample landed in. */
  samples: number[];
  /** Microseconds from the previous sample (the first: from startTime). */
  timeDeltas: number[];
}

export interface HeapNode {
  id: number;
  callFrame: CallFrame;
  /** Bytes sampled in this node, scaled by V8 to an estimate of all its allocations. */
  selfSize: number;
  children: HeapNode[];
}

export interface HeapProfile {
  head: HeapNode;
  /** One per sampled allocation still alive: its size in bytes and the node that allocated it. */
  samples: { size: number; nodeId: number; ordinal: number }[];
}

/** V8's pseudo-frames: not functions of the app. `(idle)` samples are no CPU time. */
export const ROOT = '(root)';
export const IDLE = '(idle)';
