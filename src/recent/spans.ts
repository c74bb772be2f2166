import type { Context } from '@opentelemetry/api';
import { getState } from '../state.js';
import { Ring } from './ring.js';

/** A finished span as kept for /status and the status page. */
export interface RecentSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeMs: number;
  durationMs: number;
  status: { code: number; message?: string };
  attributes: Record<string, unknown>;
  events: { name: string; timeMs: number; attributes?: Record<string, unknown> }[];
}

interface ReadableSpanLike {
  name: string;
  kind: number;
  spanContext(): { traceId: string; spanId: string };
  parentSpanContext?: { spanId: string };
  startTime: [number, number];
  duration: [number, number];
  status: { code: number; message?: string };
  attributes: Record<string, unknown>;
  events: { name: string; time: [number, number]; attributes?: Record<string, unknown> }[];
}

const hrMs = (t: [number, number]) => t[0] * 1e3 + t[1] / 1e6;
const CAPACITY = Number(process.env.MONITORING_RECENT_SPANS ?? 2000) || 0;

/** The process's ring of recent finished spans (bounded; off with MONITORING_UI=false). */
export function recentSpans(): Ring<RecentSpan> {
  const s = getState();
  return (s.recentSpans ??= new Ring<RecentSpan>(process.env.MONITORING_UI === 'false' ? 0 : CAPACITY)) as Ring<RecentSpan>;
}

/** A SpanProcessor that copies finished spans into the ring (no export, no I/O). */
export class RecentSpanProcessor {
  private readonly ring = recentSpans();
  onStart(_span: unknown, _ctx: Context): void {}
  onEnd(span: ReadableSpanLike): void {
    if (this.ring.capacity === 0) return;
    const sc = span.spanContext();
    this.ring.push({
      traceId: sc.traceId,
      spanId: sc.spanId,
      parentSpanId: span.parentSpanContext?.spanId,
      name: span.name,
      kind: span.kind,
      startTimeMs: hrMs(span.startTime),
      durationMs: hrMs(span.duration),
      status: span.status,
      attributes: span.attributes,
      events: span.events.map((e) => ({ name: e.name, timeMs: hrMs(e.time), attributes: e.attributes })),
    });
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
