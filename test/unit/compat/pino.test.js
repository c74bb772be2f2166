// Contract of src/compat/pino.ts with the pinned pino and @opentelemetry/instrumentation-pino:
// the instrumentation still patches an instance through pino's mixin and stream symbols (so
// undoing those two undoes it), and after ownStreamOnly() a line reaches our stream once, with
// no mixin fields and no record sent by the instrumentation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { logs } from '@opentelemetry/api-logs';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';

const require = createRequire(import.meta.url);
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const exporter = new InMemoryLogRecordExporter();
logs.setGlobalLoggerProvider(new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] }));
new PinoInstrumentation(); // enabled on construction: patches pino when it is required below
const pino = require('pino');
const { ownStreamOnly } = await import('../../../dist/compat/pino.js');

const SPAN = trace.wrapSpanContext({
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.SAMPLED,
});

function capture() {
  const lines = [];
  return { lines, write: (s) => lines.push(JSON.parse(s)) };
}

/** One line inside a span; resolves once the Logs SDK's export (asynchronous) has run. */
async function logInSpan(logger) {
  context.with(trace.setSpan(context.active(), SPAN), () => logger.info({ n: 1 }, 'hello'));
  await new Promise((r) => setTimeout(r, 20));
}

test('instrumentation-pino still patches an instance through mixinSym and streamSym', async () => {
  assert.equal(typeof pino.symbols.streamSym, 'symbol');
  assert.equal(typeof pino.symbols.mixinSym, 'symbol');
  const out = capture();
  const logger = pino({}, out);
  assert.notEqual(logger[pino.symbols.streamSym], out, 'the stream was replaced (a multistream to the Logs SDK)');
  assert.equal(typeof logger[pino.symbols.mixinSym], 'function', 'a mixin was added');
  exporter.reset();
  await logInSpan(logger);
  assert.equal(out.lines.length, 1);
  assert.equal(out.lines[0].trace_id, SPAN.spanContext().traceId, 'the mixin adds the trace');
  assert.equal(exporter.getFinishedLogRecords().length, 1, 'the line is sent to the Logs SDK');
});

test('ownStreamOnly: one line to our stream, no mixin fields, nothing sent by the instrumentation', async () => {
  const out = capture();
  const logger = pino({}, out);
  ownStreamOnly(logger, out);
  assert.equal(logger[pino.symbols.streamSym], out);
  exporter.reset();
  await logInSpan(logger);
  assert.equal(out.lines.length, 1);
  assert.equal(out.lines[0].msg, 'hello');
  assert.equal(out.lines[0].n, 1);
  assert.equal(out.lines[0].trace_id, undefined);
  assert.equal(exporter.getFinishedLogRecords().length, 0);
});
