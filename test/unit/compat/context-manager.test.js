// Contract of src/compat/context-manager.ts with the pinned @opentelemetry/api and
// context-async-hooks: the private `context._getContextManager()` still returns the registered
// manager, and AsyncLocalStorageContextManager still attaches a context until disposed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { context, createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { attachableContextManager } from '../../../dist/compat/context-manager.js';
import { attachContext } from '../../../dist/tracing/attach.js';

const KEY = createContextKey('compat test');

test('no global manager: nothing to attach to, and attachContext is a no-op', () => {
  assert.equal(typeof context._getContextManager, 'function', '@opentelemetry/api still has _getContextManager');
  assert.equal(attachableContextManager(), undefined);
  const exit = attachContext(ROOT_CONTEXT.setValue(KEY, 1));
  assert.equal(context.active().getValue(KEY), undefined);
  exit();
});

test('the registered AsyncLocalStorageContextManager is found and attaches until disposed', async () => {
  const manager = new AsyncLocalStorageContextManager().enable();
  assert.ok(context.setGlobalContextManager(manager));
  try {
    assert.equal(attachableContextManager(), manager, 'the very manager registered');
    const exit = attachContext(ROOT_CONTEXT.setValue(KEY, 'attached'));
    assert.equal(context.active().getValue(KEY), 'attached');
    await new Promise((r) => setImmediate(r));
    assert.equal(context.active().getValue(KEY), 'attached', 'across an await');
    exit();
    assert.equal(context.active().getValue(KEY), undefined, 'the previous context is back');
  } finally {
    context.disable();
  }
});
