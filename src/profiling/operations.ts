import { recentSpans } from '../recent/spans.js';
import { idleNodes, sampleDurations } from './timeline.js';
import type { CpuRecording } from './record.js';

export interface Operation {
  /** The span name; null for CPU time no span covered (start-up work, timers, the monitoring server). */
  spanName: string | null;
  cpuMs: number;
  samples: number;
  /** Of all non-idle CPU time in the profile, 0..1. */
  share: number;
  /** The trace with the most CPU time under this name, preferring one the status page keeps. */
  exampleTraceId: string | null;
  /** Is the example kept in the recent traces (so the page can show it)? */
  exampleKept: boolean;
}

export interface OperationsReport {
  totalCpuMs: number;
  operations: Operation[];
  /** Spans seen past the per-profile limit: their samples count under null. */
  spansDropped: number;
}

const ms = (us: number) => Math.round(us) / 1000;

/** "CPU by operation": the profile's CPU time per span name, most first. */
export function cpuByOperation(rec: CpuRecording): OperationsReport {
  const { profile, spans } = rec;
  const durations = sampleDurations(profile);
  const idle = idleNodes(profile);
  const rows = new Map<string | null, { us: number; samples: number; traces: Map<string, number> }>();
  let total = 0;
  profile.samples.forEach((node, i) => {
    if (idle.has(node)) return;
    const us = durations[i]!;
    total += us;
    const span = spans.spans[spans.ofSample[i]!];
    const name = span ? span.name : null;
    let row = rows.get(name);
    if (row === undefined) rows.set(name, (row = { us: 0, samples: 0, traces: new Map() }));
    row.us += us;
    row.samples++;
    if (span) row.traces.set(span.traceId, (row.traces.get(span.traceId) ?? 0) + us);
  });
  const store = recentSpans();
  const operations: Operation[] = [...rows].map(([spanName, row]) => {
    let best: [string, number] | undefined;
    let bestKept: [string, number] | undefined;
    for (const t of row.traces) {
      if (!best || t[1] > best[1]) best = t;
      if (store.has(t[0]) && (!bestKept || t[1] > bestKept[1])) bestKept = t;
    }
    const example = bestKept ?? best;
    return {
      spanName,
      cpuMs: ms(row.us),
      samples: row.samples,
      share: total > 0 ? Math.round((row.us / total) * 10_000) / 10_000 : 0,
      exampleTraceId: example?.[0] ?? null,
      exampleKept: bestKept !== undefined,
    };
  });
  operations.sort((a, b) => b.cpuMs - a.cpuMs);
  return { totalCpuMs: ms(total), operations, spansDropped: spans.dropped };
}
