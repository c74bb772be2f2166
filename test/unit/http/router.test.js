// Request parsing, replies and dispatch of the monitoring server (src/http/router.ts,
// src/http/server.ts). Functions that need a request or a response get them from an in-process
// node:http server on 127.0.0.1.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import {
  bearerMatches,
  errorBody,
  HttpError,
  isLoopback,
  MAX_URL_LENGTH,
  parseTarget,
  safeStringify,
  send,
} from '../../../dist/http/router.js';
import { HealthEndpoints } from '../../../dist/http/server.js';

// The status page's sparkline sampler is not what these tests are about.
process.env.MONITORING_UI = 'false';

/** An in-process server on 127.0.0.1 answering with `handler`; closed after the file's tests. */
async function serve(handler) {
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise((resolve) => server.close(resolve)));
  const base = `http://127.0.0.1:${server.address().port}`;
  return async (path, init) => {
    const res = await fetch(base + path, init);
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
  };
}

function rejects(url, status, message) {
  assert.throws(
    () => parseTarget(url),
    (e) => e instanceof HttpError && e.status === status && message.test(e.message),
    `${JSON.stringify(url.slice(0, 40))} → ${status}`,
  );
}

test('parseTarget: decodes path and query (percent, "+" as space), drops a trailing slash, keeps the first repeated key', () => {
  assert.deepEqual(parseTarget('/health/ready/?verbose=1&name=a+b%2Fc&flag&&name=second&%C3%A9t%C3%A9=%E2%9C%93'), {
    path: '/health/ready',
    query: { verbose: '1', name: 'a b/c', flag: '', été: '✓' },
  });
  assert.deepEqual(parseTarget('/'), { path: '/', query: {} });
  assert.deepEqual(parseTarget(undefined), { path: '/', query: {} });
  assert.equal(parseTarget('/a%20b').path, '/a b');
});

test('parseTarget: __proto__, constructor and prototype keys are dropped (no prototype pollution)', () => {
  const { query } = parseTarget('/x?__proto__=1&constructor=2&prototype=3&%5F%5Fproto%5F%5F=4&ok=5');
  assert.deepEqual(Object.keys(query), ['ok']);
  assert.equal(Object.getPrototypeOf(query), Object.prototype);
  assert.equal({}.polluted, undefined);
  parseTarget('/x?__proto__%5Bpolluted%5D=yes');
  assert.equal({}.polluted, undefined);
});

test('parseTarget: hostile targets are 400 or 414 HttpErrors naming the problem', () => {
  rejects('/' + 'a'.repeat(MAX_URL_LENGTH), 414, /longer than 8192/);
  rejects('http://example.com/health', 400, /absolute path/);
  rejects('*', 400, /absolute path/);
  rejects('/a\u0000b', 400, /NUL byte/);
  rejects('/a%00b', 400, /request path contains a NUL byte/);
  rejects('/%E0%A4%A', 400, /percent-encoding in path/);
  rejects('/ok?x=%FF', 400, /percent-encoding in query string/);
  rejects('/ok?%ZZ=1', 400, /percent-encoding in query string/);
  // Exactly at the limit is still accepted.
  assert.equal(parseTarget('/' + 'a'.repeat(MAX_URL_LENGTH - 1)).path.length, MAX_URL_LENGTH);
});

test('errorBody: reason phrase, message and status; unknown statuses say "Error"', () => {
  assert.deepEqual(errorBody(405, 'POST is not allowed on /health'), {
    error: 'Method Not Allowed',
    message: 'POST is not allowed on /health',
    status: 405,
  });
  assert.deepEqual(errorBody(418, 'teapot'), { error: 'Error', message: 'teapot', status: 418 });
});

test('isLoopback: IPv4 127/8, ::1 and IPv4-mapped loopback only', () => {
  for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) assert.equal(isLoopback(a), true, a);
  for (const a of ['10.0.0.1', '::ffff:10.0.0.1', '::2', '0.0.0.0', '', undefined, '128.0.0.1'])
    assert.equal(isLoopback(a), false, String(a));
});

test('bearerMatches: exact token after a case-insensitive "Bearer"; anything else is false', () => {
  assert.equal(bearerMatches('Bearer s3cret-token', 's3cret-token'), true);
  assert.equal(bearerMatches('  bearer   s3cret-token  ', 's3cret-token'), true);
  assert.equal(bearerMatches('Bearer s3cret-toke', 's3cret-token'), false);
  assert.equal(bearerMatches('Bearer s3cret-token2', 's3cret-token'), false);
  assert.equal(bearerMatches('Basic s3cret-token', 's3cret-token'), false);
  assert.equal(bearerMatches('s3cret-token', 's3cret-token'), false);
  assert.equal(bearerMatches('Bearer ', 's3cret-token'), false);
  assert.equal(bearerMatches(undefined, 's3cret-token'), false);
});

test('safeStringify: plain data as JSON.stringify; cycles, BigInt and throwing getters do not throw', () => {
  const plain = { a: [1, 'x', null], b: { c: true } };
  assert.equal(safeStringify(plain), JSON.stringify(plain));
  assert.equal(safeStringify(undefined), 'null');
  const cyclic = { name: 'loop', n: 10n };
  cyclic.self = cyclic;
  assert.deepEqual(JSON.parse(safeStringify(cyclic)), { name: 'loop', n: '10', self: '[Circular]' });
  const shared = { v: 1 };
  assert.deepEqual(JSON.parse(safeStringify({ a: shared, b: shared, big: 1n })), { a: { v: 1 }, b: '[Circular]', big: '1' });
  const hostile = {
    get boom() {
      throw new Error('getter');
    },
  };
  assert.deepEqual(JSON.parse(safeStringify(hostile)), errorBody(500, 'response body could not be serialised'));
});

test('send: JSON and text replies carry type, length, no-store and nosniff; HEAD gets headers only', async () => {
  const replies = {
    '/json': { status: 201, body: { ok: true, n: 'é' }, headers: { 'X-Reply': 'r' } },
    '/text': { status: 200, body: 'plain ✓' },
    '/bad': {
      status: 200,
      body: {
        get x() {
          throw new Error('no');
        },
      },
    },
  };
  const request = await serve((req, res) => send(req, res, replies[req.url], { 'X-Extra': 'e' }));
  const json = await request('/json');
  assert.equal(json.status, 201);
  assert.deepEqual(json.json(), { ok: true, n: 'é' });
  assert.equal(json.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(json.headers.get('content-length'), String(Buffer.byteLength(json.text)));
  assert.equal(json.headers.get('cache-control'), 'no-store');
  assert.equal(json.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(json.headers.get('x-extra'), 'e');
  assert.equal(json.headers.get('x-reply'), 'r');
  const text = await request('/text');
  assert.equal(text.text, 'plain ✓');
  assert.equal(text.headers.get('content-type'), 'text/plain; charset=utf-8');
  const head = await request('/json', { method: 'HEAD' });
  assert.equal(head.text, '');
  assert.equal(head.headers.get('content-length'), json.headers.get('content-length'));
  // A body that cannot be serialised is a 500 with a JSON error, not a 200.
  const bad = await request('/bad');
  assert.equal(bad.status, 500);
  assert.equal(bad.json().error, 'Internal Server Error');
});

test('dispatch: unknown paths 404, wrong methods 405 with Allow, bad targets 400, all as JSON errors', async () => {
  const endpoints = new HealthEndpoints({ port: 0, host: '127.0.0.1' });
  endpoints.route('POST', '/jobs', () => ({ status: 202, body: { queued: true } }));
  const request = await serve(endpoints.handler);
  const missing = await request('/nope?x=1');
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.json(), errorBody(404, 'no route "/nope"'));
  const wrong = await request('/jobs', { method: 'DELETE' });
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get('allow'), 'POST, OPTIONS');
  assert.deepEqual(wrong.json(), errorBody(405, 'DELETE is not allowed on /jobs'));
  assert.equal((await request('/health/live', { method: 'PUT' })).headers.get('allow'), 'GET, HEAD, OPTIONS');
  const malformed = await request('/health%E0%A4%A');
  assert.equal(malformed.status, 400);
  assert.equal(malformed.json().message, 'malformed percent-encoding in path');
  const options = await request('/jobs', { method: 'OPTIONS' });
  assert.equal(options.status, 204);
  assert.equal(options.headers.get('allow'), 'POST, OPTIONS');
  assert.deepEqual((await request('/jobs/', { method: 'POST' })).json(), { queued: true });
});

test('dispatch: a custom handler gets the parsed query; a throwing or broken handler is a JSON 500 without a stack', async () => {
  const endpoints = new HealthEndpoints({ port: 0, host: '127.0.0.1' });
  endpoints.addCustomHandler('/echo', (query) => [200, { query }]);
  endpoints.addCustomHandler('/object', async () => ({ status: 207, body: 'multi' }));
  endpoints.addCustomHandler('/broken', () => 'not a reply');
  endpoints.route('GET', '/throws', () => {
    throw new Error('secret internals at /srv/app.js:12');
  });
  const request = await serve(endpoints.handler);
  assert.deepEqual((await request('/echo?a=1&b=x+y')).json(), { query: { a: '1', b: 'x y' } });
  const object = await request('/object');
  assert.equal(object.status, 207);
  assert.equal(object.text, 'multi');
  const broken = await request('/broken');
  assert.equal(broken.status, 500);
  assert.match(broken.json().message, /returned neither \[status, body\] nor \{ status, body \}/);
  const threw = await request('/throws');
  assert.equal(threw.status, 500);
  assert.deepEqual(threw.json(), errorBody(500, 'handler for /throws failed'));
  assert.doesNotMatch(threw.text, /secret internals|app\.js/);
});

test('dispatch: mounted with next(), unknown paths fall through to the host server', async () => {
  const endpoints = new HealthEndpoints({ port: 0, host: '127.0.0.1' });
  const request = await serve((req, res) =>
    endpoints.handler(req, res, () => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('app');
    }),
  );
  assert.equal((await request('/orders')).text, 'app');
  assert.equal((await request('/health/live')).json().status, 'alive');
});
