// The series trie (src/metrics/trie.ts): one inline child per node, Maps only for more values
// or another key, and pruning of every path to a series that went away.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrieNode, lookup, insert, prune, remove, countNodes } from '../../../dist/metrics/trie.js';

test('a path per key order; values by identity of type (200 vs "200"); NaN found through the Map', () => {
  const root = new TrieNode();
  insert(root, { a: 'x', b: 'y' }, 'S1');
  insert(root, { b: 'y', a: 'x' }, 'S1');
  insert(root, { a: 'x', b: 'z' }, 'S2');
  insert(root, { code: 200 }, 'N');
  insert(root, { code: '200' }, 'T');
  insert(root, { v: NaN }, 'NAN');
  assert.equal(lookup(root, { a: 'x', b: 'y' }), 'S1');
  assert.equal(lookup(root, { b: 'y', a: 'x' }), 'S1');
  assert.equal(lookup(root, { a: 'x', b: 'z' }), 'S2');
  assert.equal(lookup(root, { code: 200 }), 'N');
  assert.equal(lookup(root, { code: '200' }), 'T');
  assert.equal(lookup(root, { v: NaN }), 'NAN');
  assert.equal(lookup(root, { a: 'x' }), undefined, 'a prefix is not a series');
  assert.equal(lookup(root, { a: 'x', b: 'y', c: 1 }), undefined);
  assert.equal(lookup(root, {}), undefined);
  insert(root, {}, 'EMPTY');
  assert.equal(lookup(root, {}), 'EMPTY');
});

test('a chain of single children allocates no Map', () => {
  const root = new TrieNode();
  insert(root, { id: '1', route: '/a' }, 'S');
  assert.equal(root.more, undefined);
  assert.equal(root.child.more, undefined);
  assert.equal(root.child.others, undefined);
  assert.equal(countNodes(root), 3);
});

test('prune removes every path to a gone series and the nodes left empty; the rest stays findable', () => {
  const root = new TrieNode();
  const gone = new Set(['OLD']);
  insert(root, { a: '1', b: '1' }, 'OLD');
  insert(root, { b: '1', a: '1' }, 'OLD');
  insert(root, { a: '2', b: '1' }, 'KEEP');
  insert(root, { a: '3' }, 'OLD');
  insert(root, { a: '3', b: '9' }, 'DEEP');
  assert.equal(
    prune(root, (s) => gone.has(s)),
    false,
  );
  assert.equal(lookup(root, { a: '1', b: '1' }), undefined);
  assert.equal(lookup(root, { b: '1', a: '1' }), undefined);
  assert.equal(lookup(root, { a: '3' }), undefined);
  assert.equal(lookup(root, { a: '2', b: '1' }), 'KEEP');
  assert.equal(lookup(root, { a: '3', b: '9' }), 'DEEP');
  assert.equal(root.others, undefined, 'the other key order left no empty Map');
  // root, a=2, b=1, a=3, b=9
  assert.equal(countNodes(root), 5);
  // The emptied inline slot is used again.
  insert(root, { a: '1', b: '1' }, 'NEW');
  assert.equal(lookup(root, { a: '1', b: '1' }), 'NEW');
  gone.add('KEEP').add('DEEP').add('NEW');
  assert.equal(
    prune(root, (s) => gone.has(s)),
    true,
  );
  assert.equal(countNodes(root), 1);
});

test('remove takes one path away, and only if it ends at the series; emptied nodes go, shared ones stay', () => {
  const root = new TrieNode();
  insert(root, { a: '1', b: '1' }, 'S1');
  insert(root, { a: '1', b: '2' }, 'S2');
  insert(root, { a: '2', b: '1' }, 'S3');
  insert(root, { c: 'x' }, 'S4');
  remove(root, { a: '1', b: '1' }, 'OTHER');
  assert.equal(lookup(root, { a: '1', b: '1' }), 'S1', 'not the series at that path: untouched');
  remove(root, { a: '1', b: '1' }, 'S1');
  assert.equal(lookup(root, { a: '1', b: '1' }), undefined);
  assert.equal(lookup(root, { a: '1', b: '2' }), 'S2');
  remove(root, { a: '1', b: '2' }, 'S2');
  remove(root, { c: 'x' }, 'S4');
  assert.equal(root.others, undefined);
  assert.equal(countNodes(root), 3, 'root, a=2, b=1');
  remove(root, { a: '2', b: '1' }, 'S3');
  assert.equal(countNodes(root), 1);
  remove(root, { a: '9' }, 'S9');
});
