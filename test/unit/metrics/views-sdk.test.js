// Views on OTel SDK instruments (src/sdk/views.ts) and the contract with the pinned
// sdk-metrics that src/compat/sdk-view-registry.ts relies on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeterProvider, MetricReader, DataPointType } from '@opentelemetry/sdk-metrics';
import { compileViews } from '../../../dist/metrics/views.js';
import { sdkViewOptions, useFirstMatchingView } from '../../../dist/sdk/views.js';
import { pickViews } from '../../../dist/compat/sdk-view-registry.js';

class Reader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}

function provider(specs) {
  const views = compileViews(specs);
  const reader = new Reader();
  const mp = new MeterProvider({ readers: [reader], views: sdkViewOptions(views) });
  useFirstMatchingView(mp, views);
  return { mp, reader };
}

async function collect(reader) {
  const { resourceMetrics } = await reader.collect();
  return new Map(resourceMetrics.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => [m.descriptor.name, m])));
}

test('contract: the pinned sdk-metrics has the private view registry pickViews replaces', () => {
  const mp = new MeterProvider({ views: [{ instrumentName: 'x' }] });
  assert.equal(
    pickViews(mp, 1, () => -1),
    true,
  );
  assert.equal(
    pickViews(mp, 2, () => -1),
    false,
    'a count that does not match is refused',
  );
});

test('SDK instruments: first matching view only, ? and several * as wildcards, buckets, rename, drop', async () => {
  const { mp, reader } = provider([
    {
      selector: { instrumentName: 'http.*.request.dur?tion' },
      stream: { aggregation: { type: 'explicit_bucket_histogram', boundaries: [0.1, 1] } },
    },
    { selector: { instrumentName: 'http.server.request.duration' }, stream: { name: 'never', aggregation: { type: 'drop' } } },
    { selector: { instrumentName: 'jobs' }, stream: { name: 'jobs.renamed', description: 'Jobs', aggregation: { type: 'last_value' } } },
    { selector: { instrumentName: 'noise.*' }, stream: { aggregation: { type: 'drop' } } },
  ]);
  const meter = mp.getMeter('test');
  meter.createHistogram('http.server.request.duration', { unit: 's' }).record(0.5, { 'http.route': '/' });
  const jobs = meter.createCounter('jobs');
  jobs.add(3);
  jobs.add(4);
  meter.createCounter('noise.a').add(1);
  const m = await collect(reader);
  const h = m.get('http.server.request.duration');
  assert.equal(m.size, 2, [...m.keys()].join());
  assert.deepEqual(h.dataPoints[0].value.buckets, { boundaries: [0.1, 1], counts: [0, 1, 0] });
  assert.ok(!m.has('never'), 'the second matching view is not applied (one stream per instrument)');
  const j = m.get('jobs.renamed');
  assert.equal(j.descriptor.description, 'Jobs');
  assert.equal(j.dataPointType, DataPointType.GAUGE);
  assert.equal(j.dataPoints[0].value, 4);
});

test('SDK instruments: attribute keys with wildcards (sdk-metrics own processors take exact keys)', async () => {
  const { mp, reader } = provider([
    { selector: { instrumentType: 'counter' }, stream: { attributeKeys: { included: ['http.*'], excluded: ['http.request.header.*'] } } },
  ]);
  const c = mp.getMeter('test').createCounter('requests');
  for (let i = 0; i < 10; i++) c.add(1, { 'http.route': '/a', 'http.request.header.x_id': String(i), 'user.id': i });
  const m = await collect(reader);
  assert.deepEqual(
    m.get('requests').dataPoints.map((p) => [p.attributes, p.value]),
    [[{ 'http.route': '/a' }, 10]],
  );
});

test('a meter provider without the expected registry keeps sdk-metrics matching, with one warning', async () => {
  const warnings = [];
  const onWarning = (w) => warnings.push(w.message);
  process.on('warning', onWarning);
  useFirstMatchingView({}, compileViews([{ selector: { instrumentName: 'x' }, stream: {} }]));
  await new Promise((r) => setImmediate(r));
  process.off('warning', onWarning);
  assert.ok(
    warnings.some((w) => /OTel SDK instruments get every matching view/.test(w)),
    JSON.stringify(warnings),
  );
});

test('SDK instruments: a view cardinality limit sends further attribute sets to the overflow series', async () => {
  const { mp, reader } = provider([{ selector: { instrumentName: 'limited' }, stream: { cardinalityLimit: 3 } }]);
  const c = mp.getMeter('test').createCounter('limited');
  for (let i = 0; i < 10; i++) c.add(1, { id: i });
  const points = (await collect(reader)).get('limited').dataPoints;
  assert.equal(points.length, 3);
  const overflow = points.find((p) => p.attributes['otel.metric.overflow'] === true);
  assert.equal(overflow?.value, 8);
});
