// Log records reach an OTLP receiver (@elastic/mockotlpserver on 127.0.0.1) from an app run
// with `node --import ./register`: body, severity, attributes and trace context, each record
// exactly once although instrumentation-pino is enabled too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, startApp, waitFor } from '../helpers.js';
import { startOtlpReceiver } from '../otlp.js';

// Decoded protobuf messages carry oneof defaults on their prototype (`'stringValue' in v` is
// always true), so read only the field that was really set.
function attrs(kvs = []) {
  const o = {};
  for (const { key, value } of kvs) {
    const [field] = Object.keys(value).filter((k) => Object.hasOwn(value, k) && k.endsWith('Value'));
    const v = field ? value[field] : undefined;
    o[key] = field === 'intValue' ? Number(v) : v;
  }
  return o;
}
const hex = (b) => (b ? Buffer.from(b).toString('hex') : '');

test('StructuredLogger records are exported through OTLP with trace context, exactly once', async (t) => {
  const otlp = await startOtlpReceiver();
  t.after(() => otlp.close());
  const app = startApp('test/logging/fixtures/otlp-app.mjs', {
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_SERVICE_NAME: 'otlp-log-test',
      MONITORING_PORT: String(await freePort()),
      MONITORING_SYSTEM_METRICS: 'false',
    },
  });
  t.after(() => app.stop('SIGKILL'));
  await waitFor(() => app.out.stdout.includes('READY'), 20000);
  const { code, signal } = await app.stop('SIGTERM');
  assert.ok(code === 143 || signal === 'SIGTERM', `exited after flushing (code ${code}, signal ${signal}); stderr: ${app.out.stderr}`);
  await waitFor(() => otlp.logRecords().length >= 4 && otlp.spans().length >= 1, 10000);

  const records = otlp.logRecords();
  const byBody = (b) => records.filter((r) => r.item.body?.stringValue === b);
  for (const b of ['inside checkout', 'payment failed', 'outside any span', 'app pino line']) {
    assert.equal(byBody(b).length, 1, `"${b}" exported exactly once (got ${byBody(b).length})`);
  }
  const span = otlp.spans().find((s) => s.item.name === 'checkout').item;
  const inside = byBody('inside checkout')[0];
  assert.equal(inside.scope, '@socketcomm/monitoring');
  assert.equal(inside.resource['service.name'], 'otlp-log-test');
  assert.equal(inside.item.severityNumber, 9);
  assert.equal(inside.item.severityText, 'info');
  const a = attrs(inside.item.attributes);
  assert.equal(a.order_id, 'o-1');
  assert.equal(a.items, 3);
  assert.equal(a.password, '[REDACTED]');
  assert.equal(a.trace_id, undefined, 'trace context travels in the record, not as attributes');
  assert.equal(hex(inside.item.traceId), hex(span.traceId));
  assert.equal(hex(inside.item.spanId), hex(span.spanId));

  const failed = byBody('payment failed')[0];
  assert.equal(failed.item.severityNumber, 17);
  assert.equal(attrs(failed.item.attributes).code, 'E42');
  assert.equal(hex(failed.item.traceId), hex(span.traceId));
  const outside = byBody('outside any span')[0];
  assert.equal(outside.item.severityNumber, 13);
  assert.equal(hex(outside.item.traceId), '');

  const everything = JSON.stringify(otlp.received.logs) + app.out.stdout + app.out.stderr;
  assert.ok(!everything.includes('CANARY-OTLP'), 'no secret left the process');
  // The stdout JSON line of the same record carries the same ids.
  const line = app.out.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l))
    .find((l) => l.msg === 'inside checkout');
  assert.equal(line.trace_id, hex(span.traceId));
  assert.equal(line.service, 'otlp-log-test');
});
