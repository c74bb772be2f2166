// Log correlation for winston, bunyan and pino, from a CommonJS and an ES module app under
// --import ./register: a line written inside a span carries trace_id, span_id and trace_flags
// (of the incoming HTTP request's span), a line outside any span none, and every record is also
// sent as an OTLP log record with the same ids.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../helpers.js';
import { startOtlpReceiver } from '../otlp.js';
import { KIND, startInstrumentedApp } from './harness.js';

let receiver;
before(async () => {
  receiver = await startOtlpReceiver();
});
after(() => receiver?.close());

const hex = (v) => Buffer.from(v ?? []).toString('hex');
/** logger → the OTLP scope its records arrive under */
const SCOPES = {
  winston: '@opentelemetry/winston-transport',
  bunyan: '@opentelemetry/instrumentation-bunyan',
  pino: '@opentelemetry/instrumentation-pino',
};

for (const file of ['logs.cjs', 'logs.mjs']) {
  test(`${file}: ${Object.keys(SCOPES).join(', ')}`, async (t) => {
    const app = await startInstrumentedApp(receiver, `test/instrumentations/fixtures/${file}`, { OTEL_LOGS_EXPORTER: 'otlp' });
    t.after(() => app.stop());
    const lines = () =>
      app.app.out.stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l));
    for (const [logger, scope] of Object.entries(SCOPES)) {
      await t.test(logger, async () => {
        const { traceId } = await app.run(logger);
        const server = await waitFor(() => app.spans().find((s) => s.traceId === traceId && s.kind === KIND.SERVER));
        const line = await waitFor(() => lines().find((l) => (l.msg ?? l.message) === `${logger} line`));
        assert.equal(line.trace_id, traceId);
        assert.equal(line.span_id, server.spanId, 'the span active when the line was written');
        assert.equal(line.trace_flags, '01');
        assert.equal(line.order, 7, "the line's own fields stay");
        if (logger !== 'pino') {
          const outside = lines().find((l) => (l.msg ?? l.message) === `${logger} outside a span`);
          assert.ok(outside, `${logger} logged at start`);
          assert.equal(outside.trace_id, undefined, 'no ids outside a span');
        }
        const record = await waitFor(() =>
          receiver.logRecords().find((r) => r.resource['service.name'] === app.service && r.item.body?.stringValue === `${logger} line`),
        );
        assert.equal(record.scope, scope);
        assert.equal(hex(record.item.traceId), traceId);
        assert.equal(hex(record.item.spanId), server.spanId);
        assert.equal(record.item.severityText, 'info');
      });
    }
    assert.equal(app.app.out.stderr, '', 'nothing on stderr');
  });
}
