// examples/esm-app.mjs and examples/cjs-app.cjs: apps with no monitoring code, instrumented
// only by `node --import ./register` — http server, fetch (undici), pg and ioredis spans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, waitForHttp, waitFor } from '../helpers.js';
import { startExample, getJson, getText, assertCleanStop, recentSpans } from './example-helpers.js';

const SERVER = 1;
const CLIENT = 2;

for (const [file, msg] of [
  ['esm-app.mjs', 'esm-app listening'],
  ['cjs-app.cjs', 'cjs-app listening'],
]) {
  test(`${file}: no code changes, --import alone traces http server, fetch, pg and ioredis`, { timeout: 20000 }, async () => {
    const source = readFileSync(path.join(ROOT, 'examples', file), 'utf8');
    assert.doesNotMatch(source, /socketcomm|opentelemetry/i, 'the app has no monitoring code');

    const app = await startExample(file);
    try {
      await waitFor(() => app.out.stdout.includes(msg));
      await waitForHttp(`${app.monitoringUrl}/health/live`);
      const res = await getJson(`${app.appUrl}/`);
      assert.deepEqual(res.body, { hello: { hello: 'world' }, db: 1, cached: null });

      // The trace of GET /: server span, and under it the undici, pg and ioredis spans.
      const spans = await waitFor(async () => {
        const all = await recentSpans(app.monitoringUrl);
        const root = all.find(
          (s) =>
            s.kind === SERVER &&
            s.scope === '@opentelemetry/instrumentation-http' &&
            (s.attributes['url.path'] ?? s.attributes['http.target']) === '/',
        );
        if (!root) return undefined;
        const trace = all.filter((s) => s.traceId === root.traceId);
        return trace.some((s) => s.scope === '@opentelemetry/instrumentation-ioredis' && s.name === 'get')
          ? { root, trace, all }
          : undefined;
      }, 5000);
      const byScope = (scope) => spans.trace.filter((s) => s.scope === `@opentelemetry/instrumentation-${scope}`);
      const fetchSpan = byScope('undici').find((s) => s.kind === CLIENT);
      assert.ok(fetchSpan, 'the fetch client span (undici)');
      assert.equal(fetchSpan.parentSpanId, spans.root.spanId, 'fetch is a child of the server span');
      assert.ok(
        spans.all.some((s) => s.kind === SERVER && s.parentSpanId === fetchSpan.spanId),
        'the /hello server span continues the trace (traceparent propagated)',
      );
      const pgQuery = byScope('pg').find((s) => s.name.startsWith('pg.query'));
      assert.ok(pgQuery, `the pg query span (got ${byScope('pg').map((s) => s.name)})`);
      assert.equal(pgQuery.attributes['db.statement'] ?? pgQuery.attributes['db.query.text'], 'SELECT 1 AS one');
      const redisGet = byScope('ioredis').find((s) => s.name === 'get');
      assert.ok(redisGet, 'the ioredis GET span');
      assert.equal(redisGet.kind, CLIENT);

      const prom = (await getText(`${app.monitoringUrl}/metrics?format=prometheus`)).text;
      assert.match(prom, /^http_server_request_duration_seconds_count\{/m);
      assert.match(prom, /^http_client_request_duration_seconds_count\{/m);
      assert.equal((await getJson(`${app.monitoringUrl}/health/ready`)).status, 200);

      await assertCleanStop(app);
    } finally {
      await app.stop('SIGKILL');
    }
  });
}
