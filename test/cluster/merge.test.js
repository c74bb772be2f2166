// The merge rules on their own (the same code the serving process runs on real snapshots).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterMerger, attrKey } from '../../dist/cluster/merge.js';

const T = [1, 0];
const sum = (name, points, isMonotonic = true) => ({ descriptor: { name, unit: '', description: '' }, dataPointType: 3, isMonotonic, aggregationTemporality: 1, dataPoints: points.map(([attributes, value]) => ({ startTime: T, endTime: T, attributes, value })) });
const gauge = (name, points) => ({ descriptor: { name, unit: '', description: '' }, dataPointType: 2, aggregationTemporality: 1, dataPoints: points.map(([attributes, value]) => ({ startTime: T, endTime: T, attributes, value })) });
const hist = (name, boundaries, counts, s) => ({ descriptor: { name, unit: 's', description: '' }, dataPointType: 0, aggregationTemporality: 1, dataPoints: [{ startTime: T, endTime: T, attributes: {}, value: { buckets: { boundaries, counts }, sum: s, count: counts.reduce((a, b) => a + b, 0), min: 1, max: 2 } }] });
const snap = (metrics, aggregations) => ({ scopeMetrics: [{ scope: { name: 's' }, metrics }], aggregations });
const points = (rm, name) => rm.scopeMetrics.flatMap((s) => s.metrics).filter((m) => m.descriptor.name === name).flatMap((m) => m.dataPoints);

test('counters and histograms sum exactly by attributes; key order does not matter; 200 and "200" differ', () => {
  const m = new ClusterMerger();
  const a = snap([sum('c', [[{ a: '1', b: '2' }, 5], [{ code: 200 }, 1]]), hist('h', [1, 2], [1, 2, 3], 10)]);
  const b = snap([sum('c', [[{ b: '2', a: '1' }, 7], [{ code: '200' }, 1]]), hist('h', [1, 2], [0, 1, 1], 4)]);
  const rm = m.merge({ attributes: {} }, [{ id: '1', snapshot: a }, { id: '2', snapshot: b }]);
  const c = points(rm, 'c');
  assert.equal(c.length, 3);
  assert.equal(c.find((p) => p.attributes.a === '1').value, 12);
  const h = points(rm, 'h')[0].value;
  assert.deepEqual(h.buckets.counts, [1, 3, 4]);
  assert.equal(h.count, 8);
  assert.equal(h.sum, 14);
  assert.deepEqual(a.scopeMetrics[0].metrics[1].dataPoints[0].value.buckets.counts, [1, 2, 3], 'inputs are not mutated');
  assert.notEqual(attrKey({ x: 200 }), attrKey({ x: '200' }));
});

test('a retired worker keeps counting; up-down counters and gauges do not retire', () => {
  const m = new ClusterMerger();
  m.retire(snap([sum('c', [[{}, 10]]), sum('u', [[{}, 3]], false), gauge('g', [[{}, 9]])]));
  const rm = m.merge({ attributes: {} }, [{ id: '5', snapshot: snap([sum('c', [[{}, 1]]), sum('u', [[{}, 1]], false)]) }]);
  assert.equal(points(rm, 'c')[0].value, 11);
  assert.equal(points(rm, 'u')[0].value, 1);
  assert.equal(points(rm, 'g').length, 0);
  const again = m.merge({ attributes: {} }, [{ id: '5', snapshot: snap([sum('c', [[{}, 1]])]) }]);
  assert.equal(points(again, 'c')[0].value, 11, 'merging twice does not double the retired sum');
});

test('gauges per worker unless declared; system.* from one process; different buckets kept apart', () => {
  const m = new ClusterMerger();
  const w = (id, v, agg) => ({ id, snapshot: snap([gauge('g', [[{}, v]]), gauge('q', [[{}, v]]), gauge('system.memory.usage', [[{}, 100 + v]]), hist('h', id === '2' ? [5] : [1, 2], id === '2' ? [1, 1] : [1, 1, 1], 3)], agg) });
  const rm = m.merge({ attributes: {} }, [w('1', 1, { q: 'max' }), w('2', 4, { q: 'max' })]);
  assert.deepEqual(points(rm, 'g').map((p) => [p.attributes.worker, p.value]), [['1', 1], ['2', 4]]);
  assert.deepEqual(points(rm, 'q').map((p) => p.value), [4]);
  assert.deepEqual(points(rm, 'system.memory.usage').map((p) => p.value), [101]);
  assert.equal(points(rm, 'h').length, 2);
});
