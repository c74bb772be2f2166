// A worker's answer in parts (src/cluster/encode.ts parts()), applied at the leader's end
// (src/cluster/decode.ts) and merged in time slices (src/cluster/merge.ts mergeSteps, through
// src/cluster/slice.ts): the same values as the one payload, bounded lines, definitions in
// the part that first uses them, and a metric sent in full never served half-way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WireEncoder } from '../../../dist/cluster/encode.js';
import { WireDecoder } from '../../../dist/cluster/decode.js';
import { ClusterMerger } from '../../../dist/cluster/merge.js';
import { TimeSlicer } from '../../../dist/util/time-slice.js';

const T = [1, 0];
const counter = (name, n, bump = 0) => ({
  descriptor: { name, unit: '', description: '', valueType: 1 },
  dataPointType: 3,
  isMonotonic: true,
  aggregationTemporality: 1,
  dataPoints: Array.from({ length: n }, (_, i) => ({ startTime: T, endTime: T, attributes: { route: `/r/${i}` }, value: i + bump })),
});
const hist = (name, n) => ({
  descriptor: { name, unit: 's', description: '', valueType: 1 },
  dataPointType: 0,
  aggregationTemporality: 1,
  dataPoints: Array.from({ length: n }, (_, i) => ({
    startTime: T,
    endTime: T,
    attributes: { route: `/h/${i}` },
    value: { buckets: { boundaries: [1, 2], counts: [i, 1, 0] }, sum: i + 1.5, count: i + 1, min: 0, max: 2 },
  })),
});
const rm = (metrics) => ({ resource: { attributes: {} }, scopeMetrics: [{ scope: { name: 's' }, metrics }] });
const overJson = (p) => JSON.parse(JSON.stringify(p));
const values = (state) =>
  Object.fromEntries(
    [...state.current.values()].map((cur) => [
      cur.def.template.descriptor.name,
      Object.fromEntries([...cur.points].map(([aid, v]) => [state.attrs[aid].key, v])),
    ]),
  );

test('parts: applied in order they are the one payload; each part bounded; definitions travel with their first use', () => {
  const metrics = [counter('c', 3000), hist('h', 500)];
  const whole = new WireDecoder();
  whole.apply(overJson(new WireEncoder().encode(rm(metrics), {})));
  const enc = new WireEncoder();
  const inParts = new WireDecoder();
  const parts = [...enc.parts(rm(metrics), { g: 'max' }, 1000)].map(overJson);
  assert.ok(parts.length >= 6, `${parts.length} parts`);
  assert.ok(
    parts.slice(0, -1).every((p) => p.c === 1),
    'every part but the last says more follow',
  );
  assert.equal(parts.at(-1).c, undefined);
  assert.deepEqual(parts.at(-1).ag, { g: 'max' }, 'the aggregations go with the last part');
  for (const p of parts) {
    const size = p.m.reduce((a, row) => a + row.length, 0) + (p.ad?.length ?? 0);
    assert.ok(size <= 3 * 1000, `a part of ${size} values`);
    // Each part decodes on its own tables: every attribute id it uses was defined by now.
    inParts.apply(p);
  }
  assert.deepEqual(values(inParts), values(whole));

  // The next answer: one changed point is one short part; a removed series sends the metric in full.
  const next = [...enc.parts(rm([counter('c', 3000, 0), hist('h', 500)]), {}, 1000)];
  assert.equal(next.length, 1);
  const changed = counter('c', 3000);
  changed.dataPoints[7].value = 99;
  const one = [...enc.parts(rm([changed, hist('h', 500)]), {}, 1000)];
  assert.equal(one.length, 1);
  assert.deepEqual(one[0].m[0].slice(6), [one[0].m[0][6], 99]);
  const fewer = [...enc.parts(rm([counter('c', 2500), hist('h', 500)]), {}, 1000)].map(overJson);
  assert.equal(fewer[0].m[0][1], 1, 'the first row of the metric says full');
  assert.ok(
    fewer.slice(1).every((p) => p.m.every((row) => row[1] === 0)),
    'the later rows add to it',
  );
  for (const p of fewer) inParts.apply(p);
  assert.equal(Object.keys(values(inParts).c).length, 2500);
});

test('parts: a metric sent in full is served only once its last part arrived; changed values apply as they come', () => {
  const enc = new WireEncoder();
  const dec = new WireDecoder();
  for (const p of enc.parts(rm([counter('c', 3000)]), {}, 1000)) dec.apply(overJson(p));
  const fewer = [...enc.parts(rm([counter('c', 2000)]), {}, 1000)].map(overJson);
  assert.ok(fewer.length > 2);
  for (const p of fewer.slice(0, -1)) {
    dec.apply(p);
    assert.equal(Object.keys(values(dec).c).length, 3000, 'between parts: the previous full metric, not a part of the new one');
  }
  dec.apply(fewer.at(-1));
  assert.equal(Object.keys(values(dec).c).length, 2000);
});

test('a merge in time slices gives what the merge in one piece gives, and gives the loop back', async () => {
  const decoders = [0, 1, 2].map((w) => {
    const dec = new WireDecoder();
    const c = counter('c', 20_000, w);
    for (const p of new WireEncoder().parts(rm([c, hist('h', 200)]), {})) dec.apply(overJson(p));
    return { id: String(w), state: dec };
  });
  const whole = new ClusterMerger().merge({ attributes: {} }, decoders);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 0);
  const slicer = new TimeSlicer(1);
  const sliced = await slicer.run(new ClusterMerger().mergeSteps({ attributes: {} }, decoders));
  clearInterval(timer);
  const flat = (out) =>
    out.scopeMetrics.flatMap((s) => s.metrics.map((m) => [m.descriptor.name, m.dataPoints.map((p) => [p.attributes, p.value])]));
  assert.deepEqual(flat(sliced), flat(whole));
  const c = sliced.scopeMetrics[0].metrics.find((m) => m.descriptor.name === 'c');
  assert.equal(c.dataPoints.length, 20_000);
  assert.equal(c.dataPoints.find((p) => p.attributes.route === '/r/5').value, 5 + 6 + 7);
  assert.ok(ticks > 0, 'timers ran between slices');
});
