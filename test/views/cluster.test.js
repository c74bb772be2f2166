// Views across node:cluster workers: each worker applies them to its own instruments; the
// renamed, re-bucketed and filtered streams cross the wire to the leader and merge there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { waitFor } from '../helpers.js';
import { les, samples, startWithViews } from './views-helpers.js';

const WORKERS = 3;

test("cluster: the leader's /metrics shows the workers' viewed streams, merged", async (t) => {
  const views = [
    {
      selector: { instrument_name: 'cluster.test.increments' },
      stream: { name: 'cluster.viewed.increments', description: 'Renamed by a view.' },
    },
    {
      selector: { instrument_name: 'cluster.test.dur*' },
      stream: { aggregation: { explicit_bucket_histogram: { boundaries: [25] } }, attribute_keys: { excluded: ['a?p'] } },
    },
    { selector: { instrument_name: 'cluster.test.gauge' }, stream: { aggregation: { drop: {} } } },
    { selector: { instrument_type: 'up_down_counter' }, stream: { aggregation: { last_value: {} } } },
  ];
  const { app, base } = await startWithViews('test/cluster/fixtures/cluster-app.js', views, {
    env: { WORKERS: String(WORKERS), INCREMENTS: '1000', MONITORING_SYSTEM_METRICS: 'false' },
    ready: null,
  });
  t.after(() => app.stop());
  await waitFor(() => app.out.stdout.split('\n').filter((l) => l.includes('"recorded"')).length >= WORKERS, 20000);

  let json;
  await waitFor(async () => {
    json = await (await fetch(`${base}/metrics`)).json();
    return json.counters['cluster.viewed.increments'] === WORKERS * 1000 && json.histograms['cluster.test.duration']?.count === WORKERS * 5;
  }, 20000);
  assert.equal(json.counters['cluster.test.increments'], undefined);
  assert.ok(!json.series.some((s) => s.name === 'cluster.test.gauge'), 'dropped in every worker');
  const hist = json.series.filter((s) => s.name === 'cluster.test.duration');
  assert.deepEqual(
    hist.map((s) => s.attributes),
    [{}],
    'one merged series without the excluded attribute',
  );
  // Up-down counters viewed as last values: a gauge per worker (processes' last values do not add up).
  const inflight = json.series.filter((s) => s.name === 'cluster.test.inflight');
  assert.ok(inflight.length >= WORKERS && inflight.every((s) => s.type === 'gauge' && s.value === -1), JSON.stringify(inflight));

  const text = await (await fetch(`${base}/metrics?format=prometheus`)).text();
  assert.match(text, /^# HELP cluster_viewed_increments_total Renamed by a view\.$/m);
  assert.deepEqual(les(text, 'cluster_test_duration'), ['25', '+Inf']);
  // Each worker recorded 10..50: two values up to 25.
  assert.match(text, new RegExp(`^cluster_test_duration_bucket\\{[^}]*le="25"\\} ${WORKERS * 2}$`, 'm'));
  assert.match(text, new RegExp(`^cluster_test_duration_bucket\\{[^}]*le="\\+Inf"\\} ${WORKERS * 5}$`, 'm'));
  assert.ok(samples(text, 'cluster_test_duration').every((l) => !l.includes('app="cluster"')));
  assert.doesNotMatch(text, /cluster_test_gauge/);
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  assert.equal(r.status, 0, `promtool: ${r.stdout}${r.stderr}`);
});
