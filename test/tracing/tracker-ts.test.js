// A TypeScript user's view: standard decorators, `using` and `await using`, compiled by tsc
// (target ES2022, so `using` is downlevelled) and run by this Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SpanStatusCode } from '@opentelemetry/api';
import { PerformanceTracker, StructuredLogger, MetricsCollector } from '../../dist/index.js';
import { ROOT } from '../helpers.js';

const exporter = new InMemorySpanExporter();
new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).register();

test('decorators, using and await using compiled by tsc produce the right spans', async (t) => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'monitoring-using-'));
  t.after(() => fs.rmSync(out, { recursive: true, force: true }));
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'test/tracing/tsconfig.fixture.json', '--outDir', out],
    {
      cwd: ROOT,
      stdio: 'pipe',
    },
  );
  fs.writeFileSync(path.join(out, 'package.json'), '{"type":"module"}\n');
  const js = fs.readFileSync(path.join(out, 'using.js'), 'utf8');
  assert.match(js, /__addDisposableResource/, 'using was downlevelled');
  assert.match(js, /__esDecorate/, 'standard decorators were emitted');

  const lines = [];
  const logger = new StructuredLogger({ isolated: true, destination: { write: (l) => lines.push(JSON.parse(l)) } });
  const tracker = new PerformanceTracker({ metrics: new MetricsCollector({ isolated: true }) });
  const { run } = await import(path.join(out, 'using.js'));
  assert.deepEqual(await run(tracker, logger), [2, 4, -1]);

  const spans = exporter.getFinishedSpans();
  const find = (n) => spans.filter((s) => s.name === n);
  const [usingSync] = find('using.sync');
  const [usingAsync] = find('using.async');
  const doubles = find('double');
  const [later] = find('later');
  const [explode] = find('explode');
  assert.ok(usingSync && usingAsync && later && explode);
  assert.equal(usingSync.attributes.fixture, true);
  assert.equal(doubles.length, 2);
  // double() inside `using` is its child; later() inside `await using` is its child, and the
  // double() called by later() is later's child.
  const parent = (s) => s.parentSpanContext?.spanId;
  assert.equal(parent(doubles.find((d) => d.spanContext().traceId === usingSync.spanContext().traceId)), usingSync.spanContext().spanId);
  assert.equal(parent(later), usingAsync.spanContext().spanId);
  assert.equal(parent(doubles.find((d) => d.spanContext().traceId === usingAsync.spanContext().traceId)), later.spanContext().spanId);
  assert.equal(explode.status.code, SpanStatusCode.ERROR);
  // The in-memory exporter lists spans in the order they ended (span timestamps are anchored
  // to Date.now() per span, so comparing end times across spans is only ms-accurate).
  assert.ok(spans.indexOf(usingAsync) > spans.indexOf(later), 'await using ended after the awaited work');

  assert.equal(lines.find((l) => l.msg === 'in using context').request_id, 'r-using');
  assert.equal(lines.find((l) => l.msg === 'after using context').request_id, undefined);
});
