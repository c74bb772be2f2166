// Web frameworks as in-process servers (koa with @koa/router, @hapi/hapi, restify, connect,
// router, NestJS on its Express platform), from a CommonJS and an ES module app under
// --import ./register: each request's framework spans are children of its HTTP server span,
// with the route on both, as they arrive at an OTLP receiver.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../helpers.js';
import { startOtlpReceiver } from '../otlp.js';
import { KIND, assertDescends, ofScope, startInstrumentedApp } from './harness.js';

let receiver;
before(async () => {
  receiver = await startOtlpReceiver();
});
after(() => receiver?.close());

/** framework → [scope, the span to find, its attributes, the server span's name or undefined] */
const CASES = {
  koa: ['koa', 'router - /koa/users/:id', { 'koa.type': 'router', 'http.route': '/koa/users/:id' }, 'GET /koa/users/:id'],
  hapi: ['hapi', 'route - /hapi/users/{id}', { 'hapi.type': 'router', 'http.route': '/hapi/users/{id}' }, 'GET /hapi/users/{id}'],
  restify: [
    'restify',
    'request handler - /restify/users/:id',
    { 'restify.type': 'request_handler', 'restify.name': 'getUser', 'http.route': '/restify/users/:id' },
    'GET /restify/users/:id',
  ],
  connect: [
    'connect',
    'request handler - /connect/users',
    { 'connect.type': 'request_handler', 'http.route': '/connect/users' },
    'GET /connect/users',
  ],
  router: [
    'router',
    'request handler - /router/users/:id',
    { 'router.type': 'request_handler', 'router.name': 'getUser', 'http.route': '/router/users/:id' },
    undefined,
  ],
  nest: [
    'nestjs-core',
    'UsersController.get',
    { 'nestjs.type': 'request_context', 'nestjs.controller': 'UsersController', 'http.route': '/nest/users/:id' },
    'GET /nest/users/:id',
  ],
};

for (const file of ['web.cjs', 'web.mjs']) {
  test(`${file}: ${Object.keys(CASES).join(', ')}`, async (t) => {
    const app = await startInstrumentedApp(receiver, `test/instrumentations/fixtures/${file}`);
    t.after(() => app.stop());
    for (const [fw, [scope, name, attributes, serverName]] of Object.entries(CASES)) {
      await t.test(fw, async () => {
        const res = await fetch(`http://127.0.0.1:${app.info[fw]}/${fw}/users/7`);
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), { id: '7' });
        const server = await waitForServer(app, `/${fw}/users/7`);
        const spans = await app.trace(server.traceId, (s) => ofScope(s, scope).some((x) => x.name === name));
        const span = ofScope(spans, scope).find((x) => x.name === name);
        assert.equal(span.kind, KIND.INTERNAL);
        for (const [k, v] of Object.entries(attributes)) assert.equal(span.attributes[k], v, `${fw} ${k}`);
        assertDescends(spans, span, server);
        if (serverName) assert.equal(server.name, serverName, 'the server span carries the route');
      });
    }
    await t.test('nest: the app creation span and the handler span under the request context', async () => {
      const spans = app.spans();
      assert.ok(ofScope(spans, 'nestjs-core').some((s) => s.name === 'Create Nest App' && s.attributes['nestjs.module'] === 'AppModule'));
      const ctx = ofScope(spans, 'nestjs-core').find((s) => s.name === 'UsersController.get');
      const handler = ofScope(spans, 'nestjs-core').find((s) => s.name === 'get' && s.attributes['nestjs.type'] === 'handler');
      assert.equal(handler?.parentSpanId, ctx.spanId);
    });
    // restify 11 itself warns that process.binding('http_parser') is deprecated.
    const stderr = app.app.out.stderr.split('\n').filter((l) => l && !/DEP0111|--trace-deprecation/.test(l));
    assert.deepEqual(stderr, [], 'nothing else on stderr');
  });
}

function waitForServer(app, path) {
  return waitFor(() => app.spans().find((s) => s.kind === KIND.SERVER && s.attributes['url.path'] === path), 10000);
}
