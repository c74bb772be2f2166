// Instrumentation tests: an app under --import ./register runs library scenarios inside its
// incoming HTTP requests; the spans are read where they arrive, at @elastic/mockotlpserver.
import assert from 'node:assert/strict';
import { freePort, startApp, waitFor } from '../helpers.js';
import { attrs } from '../otlp.js';

export const KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 };

const hex = (v) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : Buffer.from(v).toString('hex'));

/** A span from the receiver as plain fields. */
function plain({ item, scope, resource }) {
  return {
    name: item.name,
    kind: item.kind,
    scope,
    traceId: hex(item.traceId),
    spanId: hex(item.spanId),
    parentSpanId: hex(item.parentSpanId),
    attributes: attrs(item.attributes),
    status: item.status?.code ?? 0,
    events: item.events ?? [],
    service: resource['service.name'],
  };
}

/** Start `file` under register, exporting to `receiver`; resolves once it printed "ready". */
export async function startInstrumentedApp(receiver, file, env = {}) {
  const port = await freePort();
  const service = `instr-${file.replace(/\W+/g, '-')}-${port}`;
  const app = startApp(file, {
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: service,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_BLRP_SCHEDULE_DELAY: '100',
      OTEL_METRICS_EXPORTER: 'none',
      MONITORING_PORT: '0',
      MONITORING_SYSTEM_METRICS: 'false',
      APP_PORT: String(port),
      ...env,
    },
  });
  const line = await waitFor(() => {
    if (app.child.exitCode !== null) throw new Error(`app exited: ${app.out.stderr}`);
    return app.out.stdout.split('\n').find((l) => l.startsWith('ready '));
  }, 30000);
  const spans = () =>
    receiver
      .spans()
      .map(plain)
      .filter((s) => s.service === service);
  return {
    app,
    service,
    info: JSON.parse(line.slice(6)),
    spans,
    /** Run a scenario; resolves { traceId, result }, failing on a scenario error. */
    async run(name) {
      const body = await (await fetch(`http://127.0.0.1:${port}/run/${encodeURIComponent(name)}`)).json();
      assert.equal(body.error, undefined, `scenario ${name} failed: ${body.error}`);
      assert.match(body.traceId ?? '', /^[0-9a-f]{32}$/, 'the scenario ran inside the HTTP server span');
      return body;
    },
    /** The spans of one trace once `ready(spans)` holds. */
    trace(traceId, ready, timeoutMs = 10000) {
      return waitFor(() => {
        const t = spans().filter((s) => s.traceId === traceId);
        return ready(t) ? t : false;
      }, timeoutMs);
    },
    stop: () => app.stop(),
  };
}

/** The trace's incoming HTTP span: its root, a SERVER span of instrumentation-http. */
export function serverSpan(spans) {
  const s = spans.find((x) => x.kind === KIND.SERVER && x.scope === '@opentelemetry/instrumentation-http' && x.parentSpanId === '');
  assert.ok(s, `an HTTP server span at the root among ${spans.map((x) => `${x.scope}:${x.name}`).join(', ')}`);
  return s;
}

/** Assert `span` descends from `ancestor` within `spans`. */
export function assertDescends(spans, span, ancestor) {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  for (let p = span; p; p = byId.get(p.parentSpanId)) {
    if (p.parentSpanId === ancestor.spanId) return;
  }
  assert.fail(`${span.scope} "${span.name}" does not descend from "${ancestor.name}"`);
}

/** The spans of `scope` (full package name or the part after "instrumentation-"). */
export function ofScope(spans, scope) {
  const full = scope.includes('/') ? scope : `@opentelemetry/instrumentation-${scope}`;
  return spans.filter((s) => s.scope === full);
}
