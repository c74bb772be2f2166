// OTEL_PROPAGATORS by name: an incoming request in each format continues its trace, the
// outgoing call carries every named format, each non-W3C package is loaded only when named,
// `none` propagates nothing, an unknown name is one warning and the others still work.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { freePort, startApp, waitFor } from '../helpers.js';

let echo;
let echoPort;
before(async () => {
  echo = http.createServer((req, res) => res.end(JSON.stringify(req.headers)));
  echoPort = await new Promise((resolve) => echo.listen(0, '127.0.0.1', () => resolve(echo.address().port)));
});
after(() => echo?.close());

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

async function call(propagators, headers) {
  const [ap, mp] = [await freePort(), await freePort()];
  const env = {
    APP_PORT: String(ap),
    MONITORING_PORT: String(mp),
    ...(propagators === undefined ? {} : { OTEL_PROPAGATORS: propagators }),
  };
  const app = startApp('test/sdk/fixtures/propagation.cjs', { env });
  try {
    await waitFor(() => app.out.stdout.includes('ready'));
    const r = await (await fetch(`http://127.0.0.1:${ap}/out?port=${echoPort}`, { headers })).json();
    return { ...r, stderr: app.out.stderr };
  } finally {
    await app.stop();
  }
}

test('default (tracecontext,baggage): W3C headers, no propagator package loaded', async () => {
  const r = await call(undefined, { traceparent: `00-${TRACE}-${SPAN}-01`, baggage: 'tenant=acme' });
  assert.equal(r.traceId, TRACE, 'the incoming traceparent is continued');
  assert.match(r.downstream.traceparent, new RegExp(`^00-${TRACE}-[0-9a-f]{16}-01$`));
  assert.equal(r.downstream.baggage, 'tenant=acme');
  assert.equal(r.downstream.b3, undefined);
  assert.deepEqual(r.lazy, []);
  assert.equal(r.stderr, '');
});

test('b3,jaeger,bogus: B3 single header in and out, uber-trace-id out; one warning for bogus', async () => {
  const r = await call('b3,jaeger,bogus', { b3: `${TRACE}-${SPAN}-1` });
  assert.equal(r.traceId, TRACE, 'the incoming b3 header is continued');
  assert.match(r.downstream.b3, new RegExp(`^${TRACE}-[0-9a-f]{16}-1$`));
  assert.match(r.downstream['uber-trace-id'], new RegExp(`^${TRACE}:[0-9a-f]{16}:0:0?1$`));
  assert.equal(r.downstream.traceparent, undefined, 'tracecontext was not named');
  assert.deepEqual(r.lazy, ['propagator-b3.cjs', 'propagator-jaeger.cjs']);
  const warnings = r.stderr.split('\n').filter(Boolean);
  assert.equal(warnings.length, 1, r.stderr);
  assert.match(
    warnings[0],
    /unknown propagator "bogus" in OTEL_PROPAGATORS, ignored; valid names: tracecontext, baggage, b3, b3multi, jaeger, xray, ottrace, none/,
  );
});

test('b3multi,xray,ottrace: X-Amzn-Trace-Id in; X-B3-*, X-Amzn-Trace-Id and ot-tracer-* out', async () => {
  const xray = `Root=1-${TRACE.slice(0, 8)}-${TRACE.slice(8)};Parent=${SPAN};Sampled=1`;
  const r = await call('b3multi,xray,ottrace', { 'x-amzn-trace-id': xray });
  assert.equal(r.traceId, TRACE, 'the incoming X-Amzn-Trace-Id is continued');
  assert.equal(r.downstream['x-b3-traceid'], TRACE);
  assert.equal(r.downstream['x-b3-sampled'], '1');
  assert.match(
    r.downstream['x-amzn-trace-id'],
    new RegExp(`^Root=1-${TRACE.slice(0, 8)}-${TRACE.slice(8)};Parent=[0-9a-f]{16};Sampled=1$`),
  );
  assert.equal(r.downstream['ot-tracer-traceid'], TRACE.slice(16), 'ottrace sends the low 64 bits');
  assert.deepEqual(r.lazy, ['propagator-aws-xray.cjs', 'propagator-b3.cjs', 'propagator-ot-trace.cjs']);
  assert.equal(r.stderr, '');
});

test('none: an incoming traceparent is not continued and nothing is sent on', async () => {
  const r = await call('none', { traceparent: `00-${TRACE}-${SPAN}-01` });
  assert.notEqual(r.traceId, TRACE);
  for (const h of ['traceparent', 'baggage', 'b3', 'x-b3-traceid', 'uber-trace-id']) assert.equal(r.downstream[h], undefined, h);
  assert.deepEqual(r.lazy, []);
});
