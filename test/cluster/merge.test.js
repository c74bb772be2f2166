// The merge rules and the wire on their own (the same code the serving process runs on real
// metrics): every input goes encoder → JSON → decoder, as between a worker and the leader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterMerger, attrKey } from '../../dist/cluster/merge.js';
import { WireEncoder } from '../../dist/cluster/encode.js';
import { WireDecoder } from '../../dist/cluster/decode.js';

const T = [1, 0];
const sum = (name, points, isMonotonic = true) => ({
  descriptor: { name, unit: '', description: '', valueType: 1 },
  dataPointType: 3,
  isMonotonic,
  aggregationTemporality: 1,
  dataPoints: points.map(([attributes, value]) => ({ startTime: T, endTime: T, attributes, value })),
});
const gauge = (name, points) => ({
  descriptor: { name, unit: '', description: '', valueType: 1 },
  dataPointType: 2,
  aggregationTemporality: 1,
  dataPoints: points.map(([attributes, value]) => ({ startTime: T, endTime: T, attributes, value })),
});
const hist = (name, boundaries, counts, s, min = 1, max = 2) => ({
  descriptor: { name, unit: 's', description: '', valueType: 1 },
  dataPointType: 0,
  aggregationTemporality: 1,
  dataPoints: [
    {
      startTime: T,
      endTime: T,
      attributes: {},
      value: { buckets: { boundaries, counts }, sum: s, count: counts.reduce((a, b) => a + b, 0), min, max },
    },
  ],
});
const rm = (metrics) => ({ resource: { attributes: {} }, scopeMetrics: [{ scope: { name: 's' }, metrics }] });
const overJson = (p) => JSON.parse(JSON.stringify(p));
/** A worker's connection: send() encodes its metrics and applies them at the leader's end. */
function connection() {
  const enc = new WireEncoder();
  const state = new WireDecoder();
  const payloads = [];
  return {
    state,
    payloads,
    send(metrics, aggregations = {}) {
      const p = overJson(enc.encode(rm(metrics), aggregations));
      payloads.push(p);
      state.apply(p);
      return state;
    },
  };
}
const snap = (metrics, aggregations) => connection().send(metrics, aggregations);
const points = (out, name) =>
  out.scopeMetrics
    .flatMap((s) => s.metrics)
    .filter((m) => m.descriptor.name === name)
    .flatMap((m) => m.dataPoints);

test('counters and histograms sum exactly by attributes; key order does not matter; 200 and "200" differ', () => {
  const m = new ClusterMerger();
  const a = snap([
    sum('c', [
      [{ a: '1', b: '2' }, 5],
      [{ code: 200 }, 1],
    ]),
    hist('h', [1, 2], [1, 2, 3], 10),
  ]);
  const b = snap([
    sum('c', [
      [{ b: '2', a: '1' }, 7],
      [{ code: '200' }, 1],
    ]),
    hist('h', [1, 2], [0, 1, 1], 4),
  ]);
  const merge = () =>
    m.merge({ attributes: {} }, [
      { id: '1', state: a },
      { id: '2', state: b },
    ]);
  const out = merge();
  const c = points(out, 'c');
  assert.equal(c.length, 3);
  assert.equal(c.find((p) => p.attributes.a === '1').value, 12);
  const h = points(out, 'h')[0].value;
  assert.deepEqual(h.buckets.counts, [1, 3, 4]);
  assert.equal(h.count, 8);
  assert.equal(h.sum, 14);
  assert.deepEqual(points(merge(), 'h')[0].value.buckets.counts, [1, 3, 4], 'inputs are not mutated: merging again gives the same sums');
  assert.notEqual(attrKey({ x: 200 }), attrKey({ x: '200' }));
});

test('a retired worker keeps counting; up-down counters and gauges do not retire', () => {
  const m = new ClusterMerger();
  m.retire(snap([sum('c', [[{}, 10]]), sum('u', [[{}, 3]], false), gauge('g', [[{}, 9]])]));
  const out = m.merge({ attributes: {} }, [{ id: '5', state: snap([sum('c', [[{}, 1]]), sum('u', [[{}, 1]], false)]) }]);
  assert.equal(points(out, 'c')[0].value, 11);
  assert.equal(points(out, 'u')[0].value, 1);
  assert.equal(points(out, 'g').length, 0);
  const again = m.merge({ attributes: {} }, [{ id: '5', state: snap([sum('c', [[{}, 1]])]) }]);
  assert.equal(points(again, 'c')[0].value, 11, 'merging twice does not double the retired sum');
});

test('gauges per worker unless declared; system.* from one process; different buckets kept apart', () => {
  const m = new ClusterMerger();
  const w = (id, v, agg) => ({
    id,
    state: snap(
      [
        gauge('g', [[{}, v]]),
        gauge('q', [[{}, v]]),
        gauge('system.memory.usage', [[{}, 100 + v]]),
        hist('h', id === '2' ? [5] : [1, 2], id === '2' ? [1, 1] : [1, 1, 1], 3),
      ],
      agg,
    ),
  });
  const out = m.merge({ attributes: {} }, [w('1', 1, { q: 'max' }), w('2', 4, { q: 'max' })]);
  assert.deepEqual(
    points(out, 'g').map((p) => [p.attributes.worker, p.value]),
    [
      ['1', 1],
      ['2', 4],
    ],
  );
  assert.deepEqual(
    points(out, 'q').map((p) => p.value),
    [4],
  );
  assert.deepEqual(
    points(out, 'system.memory.usage').map((p) => p.value),
    [101],
  );
  assert.equal(points(out, 'h').length, 2);
});

test('wire: NaN and ±Infinity survive JSON; an empty histogram merges as empty', () => {
  const m = new ClusterMerger();
  const a = snap([
    gauge('g', [
      [{ k: 'nan' }, NaN],
      [{ k: 'inf' }, Infinity],
      [{ k: 'ninf' }, -Infinity],
    ]),
    hist('h', [1], [0, 0], 0, Infinity, -Infinity),
  ]);
  const b = snap([hist('h', [1], [1, 0], 0.5, 0.5, 0.5)]);
  const out = m.merge({ attributes: {} }, [
    { id: '1', state: a },
    { id: '2', state: b },
  ]);
  const g = Object.fromEntries(points(out, 'g').map((p) => [p.attributes.k, p.value]));
  assert.ok(Number.isNaN(g.nan));
  assert.equal(g.inf, Infinity);
  assert.equal(g.ninf, -Infinity);
  const h = points(out, 'h')[0].value;
  assert.deepEqual([h.count, h.sum, h.min, h.max], [1, 0.5, 0.5, 0.5]);
});

test('wire: definitions once per connection, then only changed points; a removed series or metric is said', () => {
  const c = connection();
  const series = (n, bump = -1) =>
    sum(
      'c',
      Array.from({ length: n }, (_, i) => [{ route: `/r/${i}` }, i === bump ? i + 1.5 : i + 1]),
    );
  c.send([series(1000), gauge('g', [[{}, 1]])]);
  assert.equal(c.payloads[0].ad.length, 2 * 1001, 'every attribute set defined once');
  c.send([series(1000), gauge('g', [[{}, 1]])]);
  assert.deepEqual(c.payloads[1], { m: [] }, 'nothing changed, nothing sent');
  c.send([series(1000, 7), gauge('g', [[{}, 1]])]);
  assert.equal(c.payloads[2].ad, undefined);
  assert.deepEqual(c.payloads[2].m[0].slice(6), [c.payloads[0].ad[14], 8.5], 'only the changed point');
  assert.equal(c.state.current.get(c.payloads[2].m[0][0]).points.size, 1000);
  c.send([series(999), gauge('g', [[{}, 1]])]);
  assert.equal(c.payloads[3].m[0][1], 1, 'a series went away: the metric is sent in full');
  assert.equal(c.state.current.get(c.payloads[3].m[0][0]).points.size, 999);
  c.send([series(999)]);
  assert.equal(c.payloads[4].gone.length, 1, 'a metric went away');
  const out = new ClusterMerger().merge({ attributes: {} }, [{ id: '1', state: c.state }]);
  assert.equal(
    points(out, 'c').reduce((a, p) => a + p.value, 0),
    (999 * 1000) / 2,
  );
  assert.equal(points(out, 'g').length, 0);
});

test('counts stay exact over the wire: large integers and float sums', () => {
  const m = new ClusterMerger();
  const parts = [1, 2, 3].map((i) => ({ id: String(i), state: snap([sum('c', [[{}, 2 ** 50 + i]]), sum('f', [[{}, 0.1 * i]])]) }));
  const out = m.merge({ attributes: {} }, parts);
  assert.equal(points(out, 'c')[0].value, 3 * 2 ** 50 + 6);
  assert.equal(points(out, 'f')[0].value, 0.1 + 0.2 + 0.30000000000000004);
});

test('a metric no worker changed is served from the last merge; a change, a missing worker or a retirement is seen', () => {
  const m = new ClusterMerger();
  const a = connection();
  const b = connection();
  a.send([sum('c', [[{}, 1]]), gauge('g', [[{}, 1]])]);
  b.send([sum('c', [[{}, 2]]), gauge('g', [[{}, 2]])]);
  const R = { attributes: {} };
  const both = [
    { id: '1', state: a.state },
    { id: '2', state: b.state },
  ];
  const first = m.merge(R, both);
  assert.equal(points(first, 'c')[0].value, 3);
  assert.equal(points(m.merge(R, both), 'c')[0], points(first, 'c')[0], 'unchanged inputs: the same result, not merged again');
  a.send([sum('c', [[{}, 5]]), gauge('g', [[{}, 1]])]);
  assert.equal(points(m.merge(R, both), 'c')[0].value, 7);
  assert.equal(points(m.merge(R, both.slice(0, 1)), 'c')[0].value, 5);
  assert.deepEqual(
    points(m.merge(R, both.slice(0, 1)), 'g').map((p) => p.attributes.worker),
    ['1'],
  );
  m.retire(b.state);
  assert.equal(points(m.merge(R, both.slice(0, 1)), 'c')[0].value, 7);
});

test('series that go away leave the merge, and come back right; retired histograms with other buckets stay apart', () => {
  const m = new ClusterMerger();
  const R = { attributes: {} };
  const a = connection();
  const b = connection();
  const series = (n, v = 1) =>
    sum(
      'c',
      Array.from({ length: n }, (_, i) => [{ route: `/r/${i}` }, v]),
    );
  const parts = [
    { id: '1', state: a.state },
    { id: '2', state: b.state },
  ];
  const total = (out) => points(out, 'c').reduce((s, p) => s + p.value, 0);
  a.send([series(500)]);
  b.send([series(500)]);
  assert.equal(total(m.merge(R, parts)), 1000);
  a.send([series(10)]);
  b.send([series(10)]);
  const few = m.merge(R, parts);
  assert.equal(points(few, 'c').length, 10);
  assert.equal(total(few), 20);
  a.send([series(500, 2)]);
  b.send([series(500, 3)]);
  const back = m.merge(R, parts);
  assert.equal(points(back, 'c').length, 500);
  assert.equal(total(back), 2500);

  const r = new ClusterMerger();
  r.retire(snap([hist('h', [1, 2], [1, 1, 1], 3)]));
  r.retire(snap([hist('h', [5], [1, 1], 3)]));
  r.retire(snap([hist('h', [1, 2], [1, 0, 0], 1)]));
  const h = points(r.merge(R, []), 'h');
  assert.deepEqual(
    h.map((p) => [p.attributes.worker, p.value.count]),
    [
      [undefined, 4],
      ['retired', 2],
    ],
  );
});

test('wire: when the interned tables outgrow their bound, the connection starts over and the values stay right', () => {
  const enc = new WireEncoder(10);
  const state = new WireDecoder();
  const series = (from, n) =>
    sum(
      'c',
      Array.from({ length: n }, (_, i) => [{ route: `/r/${from + i}` }, 1]),
    );
  const send = (metrics) => {
    const p = overJson(enc.encode(rm(metrics), {}));
    state.apply(p);
    return p;
  };
  assert.equal(send([series(0, 20)]).r, undefined);
  const p = send([series(100, 5)]);
  assert.equal(p.r, 1, 'tables reset');
  assert.equal(p.ad.length, 2 * 5, 'only the current attribute sets are defined again');
  const out = new ClusterMerger().merge({ attributes: {} }, [{ id: '1', state }]);
  assert.deepEqual(
    points(out, 'c').map((x) => x.attributes.route),
    ['/r/100', '/r/101', '/r/102', '/r/103', '/r/104'],
  );
});
