// The fixed-capacity ring behind the recent spans and logs (src/recent/ring.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ring } from '../../../dist/recent/ring.js';

test('Ring: keeps the newest `capacity` items, oldest first, across several wrap-arounds', () => {
  const ring = new Ring(3);
  assert.deepEqual(ring.toArray(), []);
  const pushed = [];
  for (let i = 1; i <= 10; i++) {
    ring.push(i);
    pushed.push(i);
    assert.deepEqual(ring.toArray(), pushed.slice(-3), `after ${i}`);
    assert.equal(ring.length, Math.min(i, 3));
  }
});

test('Ring: clear() empties it; capacity 0 and 1 and falsy items behave', () => {
  const ring = new Ring(2);
  const big = { payload: 'x' };
  ring.push(big);
  ring.push({});
  ring.clear();
  assert.equal(ring.length, 0);
  assert.deepEqual(ring.toArray(), []);
  ring.push('a');
  assert.deepEqual(ring.toArray(), ['a']);
  const none = new Ring(0);
  none.push(1);
  assert.equal(none.length, 0);
  assert.deepEqual(none.toArray(), []);
  const one = new Ring(1);
  one.push(1);
  one.push(2);
  assert.deepEqual(one.toArray(), [2]);
  // Falsy items are items.
  const falsy = new Ring(3);
  for (const v of [0, '', null]) falsy.push(v);
  assert.deepEqual(falsy.toArray(), [0, '', null]);
});
