// View matching (src/metrics/view-match.ts, views.ts) and a view applied to the facade's
// instruments (src/metrics/view-facade.ts, store.ts): pure logic, no SDK.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { wildcardMatcher, attributeKeyFilter, filterAttributes } from '../../../dist/metrics/view-match.js';
import { compileViews, firstView, setViews } from '../../../dist/metrics/views.js';
import { MetricsCollector } from '../../../dist/index.js';

afterEach(() => setViews(undefined));

const id = (name, type = 'counter', extra = {}) => ({ name, type, unit: '', meterName: '@socketcomm/monitoring', ...extra });

test('wildcards: * any run (none included), ? exactly one, everything else literal', () => {
  const m = wildcardMatcher('http.*.dur?tion');
  assert.ok(m('http.server.request.duration'));
  assert.ok(m('http.client.duration'));
  assert.ok(!m('http.server.durration'));
  assert.ok(!m('httpXserver.duration'), 'a dot is literal');
  assert.ok(wildcardMatcher('a*b*c')('aXXbYYc'), 'every * is a wildcard (sdk-metrics only honours the first)');
  assert.ok(wildcardMatcher('*')('anything'));
  assert.ok(wildcardMatcher('ab*')('ab'));
  assert.ok(!wildcardMatcher('a?')('a'));
  assert.ok(wildcardMatcher('x+(y)')('x+(y)') && !wildcardMatcher('x+(y)')('xx(y)'), 'regex characters are literal');
});

test('attribute keys: included with wildcards, excluded wins over included, absent keeps all', () => {
  assert.equal(attributeKeyFilter(undefined), undefined);
  assert.equal(attributeKeyFilter({ excluded: [] }), undefined);
  const keep = attributeKeyFilter({ included: ['http.*', 'url.scheme'], excluded: ['http.request.header.*'] });
  assert.deepEqual(['http.route', 'http.request.header.cookie', 'url.scheme', 'url.full', 'user.id'].filter(keep), [
    'http.route',
    'url.scheme',
  ]);
  const drop = attributeKeyFilter({ excluded: ['user.?d', '*.session'] });
  assert.deepEqual(filterAttributes({ 'user.id': 1, 'app.session': 'x', route: '/a' }, drop), { route: '/a' });
  const same = { route: '/a' };
  assert.equal(filterAttributes(same, drop), same, 'nothing filtered: the same object, no allocation');
  assert.deepEqual(filterAttributes({ a: 1 }, attributeKeyFilter({ included: [] })), {}, 'included: [] keeps no key');
});

test('the first matching view wins; selectors combine name, type, unit and meter', () => {
  const views = compileViews([
    { selector: { instrumentName: 'req.*', instrumentType: 'histogram' }, stream: { description: 'first' } },
    { selector: { instrumentName: 'req.*' }, stream: { description: 'second' } },
    { selector: { unit: 'By', meterName: 'm' }, stream: { description: 'third' } },
  ]);
  assert.equal(firstView(views, id('req.time', 'histogram')).spec.stream.description, 'first');
  assert.equal(firstView(views, id('req.count', 'counter')).spec.stream.description, 'second');
  assert.equal(firstView(views, id('bytes', 'counter', { unit: 'By', meterName: 'm' })).spec.stream.description, 'third');
  assert.equal(firstView(views, id('bytes', 'counter', { unit: 'By' })), undefined);
});

test('bad views: each problem warned once, the rest of the view kept', async () => {
  const warnings = [];
  const onWarning = (w) => warnings.push(w.message);
  process.on('warning', onWarning);
  const views = compileViews([
    null,
    { selector: {}, stream: {} },
    { selector: { instrumentType: 'timer' }, stream: {} },
    { selector: { instrumentName: 'a.*' }, stream: { name: 'b', aggregation: { type: 'median' }, cardinalityLimit: -1 } },
    { selector: { instrumentName: 'h' }, stream: { aggregation: { type: 'explicit_bucket_histogram', boundaries: [5, 1] } } },
  ]);
  await new Promise((r) => setImmediate(r));
  process.off('warning', onWarning);
  assert.deepEqual(
    views.map((v) => v.index),
    [3, 4],
  );
  assert.equal(views[0].spec.stream.name, undefined, 'a name on a wildcard selector is dropped');
  assert.equal(views[0].spec.stream.aggregation, undefined);
  assert.equal(views[1].spec.stream.aggregation.boundaries, undefined);
  for (const want of [
    /view #0/,
    /view #1: the selector selects nothing/,
    /view #2: selector instrumentType "timer"/,
    /view #3: stream name "b"/,
    /view #3: aggregation/,
    /view #3: cardinalityLimit/,
    /view #4: explicit_bucket_histogram boundaries/,
  ]) {
    assert.ok(
      warnings.some((w) => want.test(w)),
      `${want} in ${JSON.stringify(warnings)}`,
    );
  }
});

test('facade: rename, description, buckets, sum, last value, drop and a wildcard attribute filter', () => {
  setViews([
    {
      selector: { instrumentName: 'jobs.duration' },
      stream: { name: 'job.time', description: 'Job time', aggregation: { type: 'explicit_bucket_histogram', boundaries: [1, 10] } },
    },
    { selector: { instrumentName: 'jobs.size' }, stream: { aggregation: { type: 'sum' } } },
    { selector: { instrumentName: 'jobs.seen' }, stream: { aggregation: { type: 'last_value' } } },
    { selector: { instrumentName: 'jobs.noise*' }, stream: { aggregation: { type: 'drop' } } },
    { selector: { instrumentType: 'counter' }, stream: { attributeKeys: { excluded: ['user.*'] }, cardinalityLimit: 3 } },
  ]);
  const m = new MetricsCollector({ isolated: true });
  m.declareHistogram('jobs.duration', { buckets: [100, 200] });
  m.recordHistogram('jobs.duration', 5);
  m.recordHistogram('jobs.size', 3, { q: 'a' });
  m.recordHistogram('jobs.size', 4, { q: 'a' });
  m.incrementCounter('jobs.seen', 7);
  m.incrementCounter('jobs.seen', 2);
  m.recordGauge('jobs.noise.level', 1);
  for (let i = 0; i < 50; i++) m.incrementCounter('jobs.done', 1, { 'user.id': `u${i}`, queue: i % 2 ? 'a' : 'b' });

  const s = m.getMetricsSummary();
  assert.deepEqual(s.histograms['job.time'], { count: 1, sum: 5, min: 5, max: 5, avg: 5 });
  assert.equal(s.histograms['jobs.duration'], undefined, 'exported under the view name only');
  assert.equal(s.counters['jobs.size'], 7, 'a histogram kept as a monotonic sum');
  assert.equal(s.gauges['jobs.seen'], 2, 'a counter kept as its last value');
  assert.ok(!s.series.some((x) => x.name.startsWith('jobs.noise')), 'dropped');
  const done = s.series.filter((x) => x.name === 'jobs.done');
  const byQueue = done.map((x) => [x.attributes, x.value]).sort((a, b) => a[0].queue.localeCompare(b[0].queue));
  assert.deepEqual(byQueue, [
    [{ queue: 'a' }, 25],
    [{ queue: 'b' }, 25],
  ]);

  const inst = m.store.get('jobs.duration');
  assert.deepEqual(inst.boundaries, [1, 10], "the view's boundaries replace declareHistogram's buckets");
  assert.equal(m.store.exported('job.time'), inst);
  assert.equal(m.store.exported('jobs.duration'), undefined);
  assert.equal(m.store.get('jobs.done').cardinalityLimit, 3);
});

test('facade filter: the trie maps each call set to its filtered series and stays bounded', () => {
  setViews([{ selector: { instrumentName: 'req' }, stream: { attributeKeys: { included: ['route'] }, cardinalityLimit: 10 } }]);
  const m = new MetricsCollector({ isolated: true });
  for (let i = 0; i < 5000; i++) m.incrementCounter('req', 1, { route: '/a', id: i });
  m.incrementCounter('req', 1, {});
  m.incrementCounter('req', 1);
  const inst = m.store.get('req');
  assert.equal(inst.byKey.size, 2);
  assert.equal(inst.byKey.get('route\u0001/a\u0002').value, 5000);
  assert.equal(inst.byKey.get('').value, 2, '{} and no attributes are one series');
  // Bounded: at most 4 leaves per series of the cardinality limit before the trie is emptied.
  assert.ok(inst.leaves <= 40, `leaves ${inst.leaves}`);
  // A repeated set is a trie hit on its filtered series.
  const attrs = { route: '/a', id: 1 };
  m.incrementCounter('req', 1, attrs);
  assert.equal(inst.series(attrs), inst.byKey.get('route\u0001/a\u0002'));
});

test('views set after an instrument exists leave it as it was (resolved once, at creation)', () => {
  const m = new MetricsCollector({ isolated: true });
  m.incrementCounter('early');
  setViews([{ selector: { instrumentName: '*' }, stream: { aggregation: { type: 'drop' } } }]);
  m.incrementCounter('early');
  m.incrementCounter('late');
  const s = m.getMetricsSummary();
  assert.equal(s.counters.early, 2);
  assert.equal(s.counters.late, undefined);
});

test('setViews: bad input is a TypeError under MONITORING_STRICT=1, views unchanged by a non-array', () => {
  const before = process.env.MONITORING_STRICT;
  process.env.MONITORING_STRICT = '1';
  try {
    assert.throws(() => setViews([{ selector: {}, stream: {} }]), TypeError);
    assert.throws(() => setViews('views'), /expected an array of views/);
  } finally {
    if (before === undefined) delete process.env.MONITORING_STRICT;
    else process.env.MONITORING_STRICT = before;
  }
});

test('a view renaming a metric onto a name already exported says so once', async () => {
  setViews([{ selector: { instrumentName: 'old.name' }, stream: { name: 'taken.name' } }]);
  const warnings = [];
  const onWarning = (w) => warnings.push(w.message);
  process.on('warning', onWarning);
  const m = new MetricsCollector({ isolated: true });
  m.incrementCounter('taken.name');
  m.incrementCounter('old.name');
  await new Promise((r) => setImmediate(r));
  process.off('warning', onWarning);
  assert.ok(
    warnings.some((w) => /a view names metric "old.name" "taken.name", as "taken.name" already is/.test(w)),
    JSON.stringify(warnings),
  );
});
