// StructuredLogger: JSON shape, correlation with the active span, levels, context fields
// across async boundaries, request/db/cache helpers, metrics integration, safe invalid input.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { trace } from '@opentelemetry/api';
import { StructuredLogger, LogLevel, PerformanceTracker, MetricsCollector } from '../../dist/index.js';
import { captureWarnings } from '../helpers.js';

const exporter = new InMemorySpanExporter();
new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).register();
beforeEach(() => exporter.reset());
const warnings = captureWarnings();
const tracker = new PerformanceTracker({ metrics: new MetricsCollector({ isolated: true }) });

function make(options = {}) {
  const lines = [];
  const logger = new StructuredLogger({
    isolated: true,
    service: 'svc-test',
    destination: { write: (l) => lines.push(JSON.parse(l)) },
    ...options,
  });
  return { logger, lines };
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('a line has time, level name, msg, service and the passed fields', () => {
  const { logger, lines } = make();
  const before = Date.now();
  logger.info('Usuário logado', { user_id: '123', ip: '192.168.1.1', nested: { a: [1, 2] } });
  const [l] = lines;
  assert.equal(l.level, 'info');
  assert.equal(l.msg, 'Usuário logado');
  assert.equal(l.service, 'svc-test');
  assert.equal(l.user_id, '123');
  assert.deepEqual(l.nested, { a: [1, 2] });
  assert.ok(l.time >= before && l.time <= Date.now());
  assert.equal(l.trace_id, undefined, 'outside a span: no trace fields');
  assert.equal(l.span_id, undefined);
});

test('a line inside a tracked operation carries its trace_id, span_id and trace_flags', async () => {
  const { logger, lines } = make();
  await tracker.trackPerformance('op.logged', async () => {
    await sleep(1);
    logger.info('inside');
  });
  logger.info('outside');
  const span = exporter.getFinishedSpans().find((s) => s.name === 'op.logged');
  const inside = lines.find((l) => l.msg === 'inside');
  assert.equal(inside.trace_id, span.spanContext().traceId);
  assert.equal(inside.span_id, span.spanContext().spanId);
  assert.equal(inside.trace_flags, '01');
  assert.equal(lines.find((l) => l.msg === 'outside').trace_id, undefined);
});

test('levels: every method, warn alias, setLevel filters, names accepted case-insensitively', async () => {
  const { logger, lines } = make();
  logger.setLevel(LogLevel.DEBUG);
  logger.debug('d');
  logger.info('i');
  logger.warning('w');
  logger.warn('w2');
  logger.error('e');
  logger.critical('c');
  assert.deepEqual(
    lines.map((l) => l.level),
    ['debug', 'info', 'warning', 'warning', 'error', 'critical'],
  );
  lines.length = 0;
  logger.setLevel('WARNING');
  assert.equal(logger.getLevel(), 'warning');
  logger.debug('no');
  logger.info('no');
  logger.warn('yes');
  logger.setLevel('nonsense'); // ignored, reported once
  logger.setLevel('nonsense');
  logger.info('still no');
  assert.deepEqual(
    lines.map((l) => l.msg),
    ['yes'],
  );
  assert.equal((await warnings.matching(/^setLevel: unknown level "nonsense"/)).length, 1);
});

test('exception: type, message and stack as fields; the active span gets the exception event', () => {
  const { logger, lines } = make();
  const err = new TypeError('bad input at postgres://u:CANARY-55@h/db');
  tracker.trackPerformance('op.exception', () => logger.exception('Erro na operação', err, { operation: 'risky' }));
  const [l] = lines;
  assert.equal(l.level, 'error');
  assert.equal(l.operation, 'risky');
  assert.equal(l['exception.type'], 'TypeError');
  assert.match(l['exception.message'], /bad input at postgres:\/\/u:\*\*\*@h\/db/);
  assert.match(l['exception.stacktrace'], /TypeError: bad input/);
  const span = exporter.getFinishedSpans().find((s) => s.name === 'op.exception');
  const ev = span.events.find((e) => e.name === 'exception');
  assert.equal(ev.attributes['exception.type'], 'TypeError');
  assert.doesNotMatch(JSON.stringify(lines) + JSON.stringify(span.events), /CANARY-55/);
  logger.exception('not an error', 'just a string');
  assert.equal(lines[1]['exception.message'], 'just a string');
});

test('context fields survive await, setTimeout and promise chains; nested contexts merge; no leak after', async () => {
  const { logger, lines } = make();
  await logger.context({ request_id: 'r1', user_id: 'u1' }, async () => {
    logger.info('a');
    await sleep(1);
    logger.info('b');
    await new Promise((r) =>
      setTimeout(() => {
        logger.info('c');
        r();
      }, 1),
    );
    await Promise.resolve()
      .then(() => logger.info('d'))
      .then(() => sleep(1))
      .then(() => logger.info('e'));
    await logger.context({ step: 'inner', user_id: 'u2' }, async () => {
      await sleep(1);
      logger.info('f');
    });
    logger.info('g');
  });
  logger.info('h');
  const m = Object.fromEntries(lines.map((l) => [l.msg, l]));
  for (const k of 'abcdeg') assert.equal(m[k].request_id, 'r1', k);
  assert.equal(m.f.step, 'inner');
  assert.equal(m.f.user_id, 'u2');
  assert.equal(m.f.request_id, 'r1');
  assert.equal(m.g.step, undefined);
  assert.equal(m.g.user_id, 'u1');
  assert.equal(m.h.request_id, undefined);
});

test('1,000 interleaved async requests: each line carries only its own request id', async () => {
  const { logger, lines } = make();
  const handle = (i) =>
    logger.context({ request_id: `req-${i}` }, async () => {
      logger.info('start', { i });
      await sleep(Math.floor(Math.random() * 5));
      await Promise.resolve();
      logger.info('middle', { i });
      await new Promise((r) => setImmediate(r));
      logger.info('end', { i });
    });
  await Promise.all(Array.from({ length: 1000 }, (_, i) => handle(i)));
  assert.equal(lines.length, 3000);
  for (const l of lines) assert.equal(l.request_id, `req-${l.i}`);
});

test('the using form of context: fields until dispose', () => {
  const { logger, lines } = make();
  const h = logger.context({ job: 'j1' });
  logger.info('in');
  h[Symbol.dispose]();
  logger.info('out');
  assert.equal(lines[0].job, 'j1');
  assert.equal(lines[1].job, undefined);
});

test('logRequestStart/End: the end line carries the start context and computed fields', async () => {
  const { logger, lines } = make();
  await logger.context({}, async () => {
    const ctx = logger.logRequestStart('GET', '/api/users', { user_id: '123' });
    assert.equal(typeof ctx.requestId, 'string');
    await sleep(2);
    logger.info('work');
    logger.logRequestEnd(200, 150.5, 1024);
    logger.info('after');
  });
  const [start, work, end, after] = lines;
  assert.equal(start.msg, 'Request started');
  assert.equal(start.method, 'GET');
  assert.equal(start.path, '/api/users');
  assert.equal(start.user_id, '123');
  assert.equal(work.request_id, start.request_id);
  assert.equal(end.msg, 'Request completed');
  assert.equal(end.request_id, start.request_id);
  assert.equal(end.user_id, '123');
  assert.equal(end.status_code, 200);
  assert.equal(end.duration_ms, 150.5);
  assert.equal(end.response_size, 1024);
  assert.equal(after.request_id, undefined, 'request scope left at end');

  lines.length = 0;
  const ctx = logger.logRequestStart('POST', '/x', { request_id: 'given' });
  await sleep(3);
  logger.logRequestEnd(503, undefined, 0, ctx);
  assert.equal(lines[1].level, 'error');
  assert.equal(lines[1].request_id, 'given');
  assert.ok(lines[1].duration_ms >= 2, 'duration measured when not given');
});

test('logDatabaseQuery and logCacheOperation', () => {
  const { logger, lines } = make();
  logger.logDatabaseQuery("SELECT * FROM users WHERE token = 'abc'", 45.2, 10);
  logger.logCacheOperation('get', 'user:123', true, 2.1);
  assert.equal(lines[0].query, "SELECT * FROM users WHERE token = 'abc'", 'query text is not redacted');
  assert.equal(lines[0].duration_ms, 45.2);
  assert.equal(lines[0].rows, 10);
  assert.deepEqual([lines[1].operation, lines[1].key, lines[1].hit, lines[1].duration_ms], ['get', 'user:123', true, 2.1]);
});

test('setMetricsIntegration counts written lines by level as log.records', async () => {
  const { logger } = make();
  const metrics = new MetricsCollector({ isolated: true });
  logger.setMetricsIntegration(metrics);
  logger.setLevel('debug');
  for (let i = 0; i < 5; i++) logger.info('i');
  for (let i = 0; i < 2; i++) logger.error('e');
  logger.debug('d');
  const text = await metrics.exportPrometheus();
  assert.match(text, /^log_records_total\{level="info".*\} 5$/m);
  assert.match(text, /^log_records_total\{level="error".*\} 2$/m);
  assert.match(text, /^log_records_total\{level="debug".*\} 1$/m);
});

test('child loggers and the default instance', () => {
  const a = new StructuredLogger();
  const b = new StructuredLogger();
  assert.equal(a, b, 'new StructuredLogger() is the process default');
  const c = new StructuredLogger({ fields: { component: 'x' } });
  assert.notEqual(c, a);
  assert.ok(c instanceof StructuredLogger);
  const { logger, lines } = make({ fields: { app: 'demo' } });
  logger.child({ component: 'db', password: 'p' }).info('child line');
  assert.equal(lines[0].app, 'demo');
  assert.equal(lines[0].component, 'db');
  assert.equal(lines[0].password, '[REDACTED]');
});

test('invalid input never throws and is reported once each: non-string message, circular objects, BigInt; strict mode throws TypeError', async () => {
  const { logger, lines } = make();
  const circ = { name: 'c' };
  circ.self = circ;
  logger.info({ not: 'a string' });
  logger.info(42);
  logger.info('circular', { circ, big: 10n, fn() {}, sym: Symbol('s'), when: new Date(0) });
  logger.info('not an object', 'str');
  logger.setSamplingRate(2);
  logger.setSamplingRate('x');
  assert.equal(lines.length, 4);
  // The same mistakes again: logged, not reported a second time.
  logger.info({ not: 'a string' });
  logger.info('not an object', 'str');
  logger.setSamplingRate(2);
  assert.equal(lines.length, 6);
  for (const re of [
    /^log message must be a string, got an object;/,
    /^log message must be a string, got 42;/,
    /^log fields must be an object, got "str";/,
    /^setSamplingRate: rate must be a number in 0\.\.1, got 2;/,
    /^setSamplingRate: rate must be a number in 0\.\.1, got "x";/,
  ]) {
    assert.equal((await warnings.matching(re)).length, 1, String(re));
  }
  assert.equal(lines[0].msg, '{"not":"a string"}');
  assert.equal(lines[1].msg, '42');
  assert.equal(lines[2].circ.self, '[Circular]');
  assert.equal(lines[2].big, '10');
  assert.equal(lines[2].when, '1970-01-01T00:00:00.000Z');
  assert.equal(lines[3].fields, 'str');
  process.env.MONITORING_STRICT = '1';
  try {
    assert.throws(() => logger.info(42), TypeError);
    assert.throws(() => logger.setLevel('loud'), TypeError);
    assert.throws(() => logger.setSamplingRate(1.5), TypeError);
  } finally {
    delete process.env.MONITORING_STRICT;
  }
});

test('lines reach the recent-logs ring (what /status shows)', async () => {
  const { recentLogs } = await import('../../dist/recent/logs.js');
  const { logger } = make();
  await tracker.trackPerformance('op.ring', async () => logger.warning('ring line', { k: 'v', secret: 's' }));
  const entry = recentLogs()
    .toArray()
    .find((r) => r.msg === 'ring line');
  assert.ok(entry);
  assert.equal(entry.level, 'warning');
  assert.equal(entry.fields.k, 'v');
  assert.equal(entry.fields.secret, '[REDACTED]');
  assert.equal(
    entry.traceId,
    exporter
      .getFinishedSpans()
      .find((s) => s.name === 'op.ring')
      .spanContext().traceId,
  );
  assert.equal(trace.getActiveSpan(), undefined);
});
