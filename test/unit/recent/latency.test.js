// zPages-style latency statistics per span name (src/recent/latency.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketOf, LATENCY_BUCKETS, LatencyStats, OTHER_NAME } from '../../../dist/recent/latency.js';

test('bucketOf: each bound belongs to the bucket above it; 9 buckets up to >100 s', () => {
  assert.equal(LATENCY_BUCKETS.length, 9);
  const cases = [
    [0, 0],
    [0.0099, 0],
    [0.01, 1],
    [0.5, 2],
    [1, 3],
    [9.99, 3],
    [10, 4],
    [100, 5],
    [999, 5],
    [1000, 6],
    [10_000, 7],
    [99_999, 7],
    [100_000, 8],
    [1e9, 8],
    [Infinity, 8],
  ];
  for (const [ms, bucket] of cases) assert.equal(bucketOf(ms), bucket, `${ms} ms → ${LATENCY_BUCKETS[bucket]}`);
});

test('LatencyStats: counts per name and bucket, errors apart, rows sorted by name', () => {
  const stats = new LatencyStats(() => {});
  stats.record('GET /b', bucketOf(5), false, 0);
  stats.record('GET /b', bucketOf(5), false, 1);
  stats.record('GET /b', bucketOf(2000), true, 2);
  stats.record('GET /a', bucketOf(0.005), false, 3);
  const rows = stats.rows(() => true);
  assert.deepEqual(
    rows.map((r) => r.name),
    ['GET /a', 'GET /b'],
  );
  const b = rows[1];
  assert.deepEqual(b.counts, [0, 0, 0, 2, 0, 0, 1, 0, 0]);
  assert.equal(b.errors, 1);
  assert.deepEqual(rows[0].counts, [1, 0, 0, 0, 0, 0, 0, 0, 0]);
});

test('LatencyStats: at most one new example per bucket per 250 ms; examples pin their trace and unpin when replaced', () => {
  const pins = new Map();
  const stats = new LatencyStats((id, d) => pins.set(id, (pins.get(id) ?? 0) + d));
  const bucket = bucketOf(5);
  const take = (id, at, error = false) => {
    if (stats.record('op', bucket, error, at)) {
      stats.takeSample(id);
      return true;
    }
    return false;
  };
  assert.equal(take('t1', 1000), true);
  assert.equal(take('t2', 1100), false, 'within 250 ms of the last example');
  assert.equal(take('t3', 1250), true);
  assert.equal(take('e1', 1260, true), true, 'errors have their own slot and clock');
  for (let i = 0; i < 3; i++) assert.equal(take(`t${4 + i}`, 1500 + i * 250), true);
  // Four examples per slot: t1 was replaced by t6 and unpinned.
  const row = stats.rows(() => true)[0];
  assert.deepEqual(row.samples[bucket], ['t6', 't5', 't4', 't3']);
  assert.deepEqual(row.errorSamples, ['e1']);
  assert.equal(pins.get('t1'), 0);
  assert.equal(pins.get('t6'), 1);
  assert.equal(pins.get('t2'), undefined, 'never an example, never pinned');
  // Examples whose trace is no longer kept are left out of the rows.
  assert.deepEqual(stats.rows((id) => id !== 't5')[0].samples[bucket], ['t6', 't4', 't3']);
});

test('LatencyStats: past 200 distinct names the rest are counted under one "other" row', () => {
  const stats = new LatencyStats(() => {});
  for (let i = 0; i < 250; i++) stats.record(`GET /users/${i}`, 3, false, i);
  const rows = stats.rows(() => true);
  assert.equal(rows.length, 201);
  const other = rows.find((r) => r.name === OTHER_NAME);
  assert.equal(other.counts[3], 50);
  assert.equal(
    rows.reduce((n, r) => n + r.counts[3], 0),
    250,
    'nothing is lost',
  );
  stats.clear();
  assert.deepEqual(
    stats.rows(() => true),
    [],
  );
});
