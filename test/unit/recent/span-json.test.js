// JSON shapes of kept spans and traces (src/recent/span-json.ts), from spans the real SDK made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { hrMs, summarize, toRecentSpan } from '../../../dist/recent/span-json.js';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer('unit-scope');
const T0 = 1_700_000_000_000;

/** A root with two children (the second failing); returns the finished spans, root last. */
function makeTrace(parentContext = context.active()) {
  exporter.reset();
  const root = tracer.startSpan(
    'GET /orders',
    { kind: SpanKind.SERVER, startTime: T0, attributes: { 'http.route': '/orders' } },
    parentContext,
  );
  const ctx = trace.setSpan(parentContext, root);
  const db = tracer.startSpan('SELECT orders', { startTime: T0 + 5 }, ctx);
  db.addEvent('rows', { count: 3 }, T0 + 9);
  db.end(T0 + 10);
  const cache = tracer.startSpan('GET cache', { startTime: T0 + 12 }, ctx);
  cache.setStatus({ code: SpanStatusCode.ERROR, message: 'miss storm' });
  cache.end(T0 + 14);
  root.end(T0 + 20);
  return exporter.getFinishedSpans();
}

test('hrMs: [seconds, nanoseconds] to milliseconds', () => {
  assert.equal(hrMs([1, 500_000]), 1000.5);
  assert.equal(hrMs([0, 0]), 0);
});

test('toRecentSpan: ids, parent, kind, times in ms, status, attributes and events copied from a real span', () => {
  const [db, , root] = makeTrace();
  const out = toRecentSpan(db);
  assert.equal(out.traceId, root.spanContext().traceId);
  assert.equal(out.parentSpanId, root.spanContext().spanId);
  assert.equal(out.name, 'SELECT orders');
  assert.equal(out.kind, SpanKind.INTERNAL);
  assert.equal(out.startTimeMs, T0 + 5);
  assert.equal(out.durationMs, 5);
  assert.deepEqual(out.events, [{ name: 'rows', timeMs: T0 + 9, attributes: { count: 3 } }]);
  assert.equal(out.scope, 'unit-scope');
  const r = toRecentSpan(root);
  assert.equal(r.parentSpanId, undefined);
  assert.deepEqual(r.attributes, { 'http.route': '/orders' });
  assert.equal(r.kind, SpanKind.SERVER);
  // A copy: changing it does not change the span.
  r.attributes.x = 1;
  assert.equal(root.attributes.x, undefined);
  JSON.stringify(out);
});

test('summarize: root name, span and error counts, overall duration, complete only with its local root', () => {
  const spans = makeTrace();
  const traceId = spans[0].spanContext().traceId;
  const full = summarize(traceId, { id: traceId, spans, pins: 1, dropped: 0, partial: false });
  assert.deepEqual(full, {
    traceId,
    rootName: 'GET /orders',
    complete: true,
    startTimeMs: T0,
    durationMs: 20,
    spanCount: 3,
    errorCount: 1,
    status: 'error',
    sampled: true,
    partial: false,
  });
  // The root has not ended yet: the earliest kept span names the trace, which is incomplete.
  const children = spans.slice(0, 2);
  const open = summarize(traceId, { id: traceId, spans: children, pins: 0, dropped: 0, partial: true });
  assert.equal(open.complete, false);
  assert.equal(open.rootName, 'SELECT orders');
  assert.equal(open.durationMs, 9);
  assert.equal(open.sampled, false);
  assert.equal(open.partial, true);
});

test('summarize: a root continuing a remote parent (traceparent) still makes the trace complete', () => {
  const remote = trace.setSpanContext(context.active(), {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    traceFlags: 1,
    isRemote: true,
  });
  const spans = makeTrace(remote);
  const s = summarize('4bf92f3577b34da6a3ce929d0e0e4736', { id: 'x', spans, pins: 0, dropped: 0, partial: false });
  assert.equal(s.complete, true);
  assert.equal(s.rootName, 'GET /orders');
  assert.equal(s.status, 'error');
});
