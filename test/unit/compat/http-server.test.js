// Contract of src/compat/http-server.ts with Node's http and the pinned
// @opentelemetry/instrumentation-http: Node's http.Server has no emit of its own (so giving a
// server EventEmitter's skips nothing of Node's), instrumentation-http still wraps
// http.Server.prototype.emit (else the bypass is dead code), and a bypassed server's requests
// go past the instrumentation while another server's are traced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';

const require = createRequire(import.meta.url);

test("http.Server dispatches with EventEmitter's emit until instrumentation-http wraps it", async () => {
  // Before any instrumentation: nothing of Node's own between a server and EventEmitter's emit.
  const plain = require('node:http');
  assert.equal(Object.hasOwn(plain.Server.prototype, 'emit'), false, 'http.Server has no emit of its own');
  assert.equal(plain.Server.prototype.emit, EventEmitter.prototype.emit);

  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const exporter = new InMemorySpanExporter();
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  const instrumentation = new HttpInstrumentation();
  const http = require('node:http'); // patched on this require
  assert.notEqual(http.Server.prototype.emit, EventEmitter.prototype.emit, 'instrumentation-http wraps http.Server.prototype.emit');

  const { bypassHttpInstrumentation } = await import('../../../dist/compat/http-server.js');
  const serve = async (bypass) => {
    const server = http.createServer((req, res) => res.end('ok'));
    if (bypass) bypassHttpInstrumentation(server);
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    try {
      exporter.reset();
      const res = await fetch(`http://127.0.0.1:${server.address().port}/x`);
      assert.equal(await res.text(), 'ok');
      await new Promise((r) => setTimeout(r, 20));
      return exporter.getFinishedSpans().filter((s) => s.kind === 1 /* SERVER */).length;
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  };
  assert.equal(await serve(false), 1, "an ordinary server's request makes a server span");
  assert.equal(await serve(true), 0, "the bypassed server's request goes past the instrumentation");
  instrumentation.disable();
});
