// Series expiry (src/metrics/expiry.ts, Instrument.sweep in src/metrics/store.ts): ticks
// instead of a clock read per record, the cutoff a sweep computes, and what a sweep frees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ticks, isValidTtl, defaultSeriesTtlMs, sweepIntervalMs } from '../../../dist/metrics/expiry.js';
import { SeriesStore, GONE } from '../../../dist/metrics/store.js';
import { COUNTER, GAUGE, HISTOGRAM } from '../../../dist/metrics/kinds/registry.js';
import { countNodes } from '../../../dist/metrics/trie.js';
import { monitoringFromEnv } from '../../../dist/config/from-env.js';

test('a tick expires once the start of the tick after it is TTL old, never earlier', () => {
  const t = new Ticks(0);
  // A series noted tick 0 may have been recorded at any time before tick 1 begins (100).
  assert.equal(t.advance(100, 1000), 0);
  assert.equal(t.tick, 1);
  assert.equal(t.advance(1099, 1000), 0, 'tick 1 began 999 ms ago: tick 0 may be that recent');
  assert.equal(t.advance(1100, 1000), 1, 'tick 1 began 1000 ms ago: series that noted tick 0 are idle >= TTL');
  assert.equal(t.advance(5000, 1000), 3, 'ticks 1..2 began long ago, tick 3 (1100) too; tick 4 is now');
  assert.equal(t.tick, 4);
  // A clock that went back expires nothing new.
  assert.equal(t.advance(10, 1000), 3);
});

test('TTL values: finite and >= 0; MONITORING_SERIES_TTL_MS read with a warning when invalid; sweep interval clamped', () => {
  for (const ok of [0, 1, 1500.5, 86_400_000]) assert.ok(isValidTtl(ok), String(ok));
  for (const bad of [-1, NaN, Infinity, '1000', null, undefined, {}]) assert.ok(!isValidTtl(bad), String(bad));
  // The variable is read once, with the rest of the configuration (src/config/from-env.ts).
  assert.equal(monitoringFromEnv({}).seriesTtlMs, undefined);
  assert.equal(monitoringFromEnv({ MONITORING_SERIES_TTL_MS: ' 60000 ' }).seriesTtlMs, 60000);
  const bad = monitoringFromEnv({ MONITORING_SERIES_TTL_MS: 'ten minutes' });
  assert.equal(bad.seriesTtlMs, undefined);
  assert.match(bad.seriesTtlProblem, /MONITORING_SERIES_TTL_MS="ten minutes" is not a number of milliseconds/);
  assert.equal(defaultSeriesTtlMs(), 0);
  assert.equal(sweepIntervalMs(100), 1000);
  assert.equal(sweepIntervalMs(60_000), 15_000);
  assert.equal(sweepIntervalMs(3_600_000), 60_000);
});

test('a sweep drops idle series from the map, the trie and the caches; recorded ones stay', () => {
  const inst = new SeriesStore().add('c', COUNTER, { ttlMs: 1000 });
  const t0 = Date.now();
  const idle = inst.series({ id: 'idle', route: '/a' });
  inst.series({ route: '/a', id: 'idle' });
  const busy = inst.series({ id: 'busy', route: '/a' });
  const none = inst.none();
  assert.equal(inst.byKey.size, 3);
  const nodes = countNodes(inst.root);
  inst.sweep(t0 + 10);
  inst.series({ id: 'busy', route: '/a' });
  assert.equal(inst.sweep(t0 + 900), 0, 'nothing idle for the TTL yet');
  inst.series({ id: 'busy', route: '/a' });
  assert.equal(inst.sweep(t0 + 2000), 2, 'recorded before t0 + 10 at the latest: idle for more than the TTL');
  assert.equal(idle.seen, GONE);
  assert.equal(none.seen, GONE);
  // Their memory is reclaimed in slices; run them to the end.
  assert.equal(inst.reclaim(1), false, 'one step is not all');
  assert.equal(inst.reclaim(), true);
  assert.deepEqual([...inst.byKey.values()], [busy]);
  assert.ok(countNodes(inst.root) < nodes);
  // Back: a new series, from zero.
  const again = inst.series({ route: '/a', id: 'idle' });
  assert.notEqual(again, idle);
  assert.equal(again.value, 0);
  assert.notEqual(inst.none(), none);
  assert.equal(inst.byKey.size, 3);
});

test('series without a TTL never leave; a store sweep covers every instrument with one', () => {
  const store = new SeriesStore();
  const keep = store.add('keep', GAUGE, { ttlMs: 0 });
  const h = store.add('h', HISTOGRAM, { ttlMs: 50 });
  keep.series({ a: '1' });
  h.series({ a: '1' });
  const t = Date.now();
  store.sweep(t + 10);
  assert.equal(store.sweep(t + 1000), 1);
  h.reclaim();
  assert.equal(keep.byKey.size, 1);
  assert.equal(h.byKey.size, 0);
  assert.equal(keep.tick, 0, 'an instrument without a TTL keeps tick 0: recording costs no check');
});

test('a bound handle revives its expired series: the series recorded since, or a new one from zero', () => {
  const inst = new SeriesStore().add('c', COUNTER, { ttlMs: 1000 });
  const handle = COUNTER.bind(inst, inst.series({ k: 'v' }));
  handle.add(5);
  const old = inst.byKey.get(inst.series({ k: 'v' }).key);
  const t = Date.now();
  inst.sweep(t + 10);
  inst.sweep(t + 5000);
  inst.reclaim();
  assert.equal(inst.byKey.size, 0);
  handle.add(2);
  const revived = [...inst.byKey.values()];
  assert.equal(revived.length, 1);
  assert.notEqual(revived[0], old);
  assert.equal(revived[0].value, 2, 'starts again from zero');
  assert.ok(revived[0].startTimeMs >= old.startTimeMs);
  // Expired again, then recorded by attributes first: the handle joins that series.
  inst.sweep(t + 5010);
  inst.sweep(t + 10_000);
  inst.reclaim();
  assert.equal(inst.byKey.size, 0);
  const direct = inst.series({ k: 'v' });
  inst.record(inst, direct, 1);
  handle.add(1);
  assert.equal(inst.byKey.size, 1);
  assert.equal(direct.value, 2);
});

test('a delta reader after expiry: the returning series is new, its delta counts from zero and starts after the old one', async () => {
  const { StoreMetricProducer } = await import('../../../dist/metrics/producer.js');
  const { moveSeriesClock } = await import('../../../dist/metrics/expiry.js');
  const store = new SeriesStore();
  const c = store.add('c', COUNTER, { ttlMs: 1000 });
  const delta = new StoreMetricProducer(store, () => 0);
  const points = () => delta.collectSync().resourceMetrics.scopeMetrics[0].metrics[0].dataPoints;
  const ms = (hr) => hr[0] * 1000 + hr[1] / 1e6;
  c.aggregation.record(c, c.series({ k: 'v' }), 5);
  const [first] = points();
  assert.equal(first.value, 5);
  moveSeriesClock(5000);
  try {
    assert.deepEqual(points(), [], 'expired at this collection');
    c.aggregation.record(c, c.series({ k: 'v' }), 2);
    const [back] = points();
    assert.equal(back.value, 2, 'not 2 - 5: the reader kept nothing of the old series');
    assert.ok(ms(back.startTime) >= ms(first.endTime) + 4000, 'the new series starts after the move');
  } finally {
    moveSeriesClock(-5000);
  }
});

test('before its memory is reclaimed, an expired series is never recorded into: a call finds a new one', () => {
  const inst = new SeriesStore().add('c', COUNTER, { ttlMs: 1000 });
  const old = inst.series({ k: 'v' });
  const t = Date.now();
  inst.sweep(t + 10);
  assert.equal(inst.sweep(t + 5000), 1);
  assert.equal(old.seen, GONE);
  const fresh = inst.series({ k: 'v' });
  assert.notEqual(fresh, old);
  assert.equal(inst.byKey.get(old.key), fresh, 'the new series took its place in the map');
  inst.reclaim();
  assert.equal(inst.series({ k: 'v' }), fresh, 'reclaiming the old one left the new one in place');
  assert.deepEqual([...inst.byKey.values()], [fresh]);
});

test('series reached by another key order are reclaimed by a pass over the whole trie', () => {
  const inst = new SeriesStore().add('c', COUNTER, { ttlMs: 1000 });
  inst.series({ a: '1', b: '2' });
  inst.series({ b: '2', a: '1' });
  inst.series({ a: '3', b: '4', c: undefined });
  const t = Date.now();
  inst.sweep(t + 10);
  assert.equal(inst.sweep(t + 5000), 2);
  inst.reclaim();
  assert.equal(inst.byKey.size, 0);
  assert.equal(countNodes(inst.root), 1, 'every path gone, the root left');
});
