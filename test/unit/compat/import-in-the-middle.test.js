// Contract of src/compat/import-in-the-middle.ts with the pinned import-in-the-middle: its hooks
// live in lib/register.js's importHooks, in the order added, and a Hook or addHook() appends to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { addHook, Hook } from 'import-in-the-middle';

// The CommonJS build: register runs as a CommonJS bundle, where the module's require() exists.
const { importHooks } = createRequire(import.meta.url)('../../../dist/cjs/compat/import-in-the-middle.js');

test('importHooks() is the live list that Hook and addHook append to', () => {
  const hooks = importHooks();
  assert.ok(Array.isArray(hooks));
  const before = hooks.length;
  const raw = () => {};
  addHook(raw);
  assert.equal(hooks.at(-1), raw);
  new Hook(['x-contract-module'], () => {});
  assert.equal(hooks.length, before + 2);
  assert.equal(typeof hooks.at(-1), 'function');
  assert.equal(importHooks(), hooks, 'the same array each time');
});
