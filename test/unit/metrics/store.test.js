// The facade's series store (src/metrics/store.ts): a trie of Maps walked in the call's own
// key order, one series per attribute set whatever the order, an overflow series at the
// cardinality limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeriesStore, OVERFLOW_ATTRIBUTES } from '../../../dist/metrics/store.js';
import { COUNTER, HISTOGRAM } from '../../../dist/metrics/kinds/registry.js';

const warnings = [];
process.on('warning', (w) => warnings.push(w.message));
const tick = () => new Promise((resolve) => setImmediate(resolve));

test('key orders alias one series; 200 and "200" are two; the same object is found again without a walk', () => {
  const inst = new SeriesStore().add('c', COUNTER);
  const ab = inst.series({ a: 'x', b: 'y' });
  assert.equal(inst.series({ b: 'y', a: 'x' }), ab);
  assert.equal(inst.series({ a: 'x', b: 'y' }), ab);
  const num = inst.series({ code: 200 });
  const str = inst.series({ code: '200' });
  assert.notEqual(num, str);
  assert.equal(inst.byKey.size, 3);
  assert.deepEqual(ab.attributes, { a: 'x', b: 'y' });
  assert.ok(Object.isFrozen(ab.attributes), 'series attributes are a frozen copy');
  const attrs = { route: '/r' };
  assert.equal(inst.series(attrs), inst.series(attrs));
  assert.equal(inst.series(undefined), inst.none());
  assert.equal(inst.series(undefined).key, '');
});

test('undefined values are dropped and objects dropped with one warning: {a, b: undefined} is the series {a}', async () => {
  const inst = new SeriesStore().add('c', COUNTER);
  warnings.length = 0;
  const a = inst.series({ a: '1' });
  assert.equal(inst.series({ a: '1', b: undefined }), a);
  assert.equal(inst.series({ a: '1', o: { nested: true } }), a);
  assert.equal(inst.series({ o: { nested: true }, a: '1' }), a);
  assert.equal(inst.byKey.size, 1);
  await tick();
  assert.equal(warnings.filter((w) => w.includes('attribute "o" has an unsupported value type')).length, 1);
});

test('cardinality limit: new sets go to one overflow series, known sets keep theirs, the trie stops growing', async () => {
  const inst = new SeriesStore().add('limited', COUNTER, { cardinalityLimit: 3 });
  warnings.length = 0;
  const kept = [0, 1, 2].map((i) => inst.series({ id: String(i) }));
  const over = inst.series({ id: '3' });
  assert.equal(over.attributes, OVERFLOW_ATTRIBUTES);
  assert.equal(inst.series({ id: '4' }), over);
  assert.equal(inst.series({ other: 'key' }), over);
  assert.equal(inst.series({ id: '1' }), kept[1], 'a set known before the limit keeps its series');
  assert.equal(inst.byKey.size, 4, '3 series + overflow');
  await tick();
  assert.equal(warnings.filter((w) => w.includes('"limited" reached its cardinality limit of 3')).length, 1);
});

test("a series is made by the instrument's aggregation: histogram series have boundaries + 1 buckets, counters none", () => {
  const store = new SeriesStore();
  const h = store.add('h', HISTOGRAM, { buckets: [1, 2, 5] });
  const s = store.add('s', HISTOGRAM, { unit: 's' });
  const c = store.add('c', COUNTER, { buckets: [1] });
  assert.equal(h.none().buckets.length, 4);
  assert.equal(s.boundaries[0], 0.005, 'seconds get the Prometheus client defaults');
  assert.deepEqual(c.boundaries, []);
  assert.equal(c.none().buckets, undefined);
  assert.equal(store.version, 3);
});
