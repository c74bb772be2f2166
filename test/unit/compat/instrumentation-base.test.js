// Contract of src/compat/instrumentation-base.ts with the pinned @opentelemetry/instrumentation:
// constructing any InstrumentationBase puts require-in-the-middle's hook on
// Module.prototype.require; every patch runs through the instance's _onRequire, which the hooks
// look up on the instance at each load, with moduleExports and moduleVersion set before the
// patch; a throw in a patch reaches the require() unless caught there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { InstrumentationBase, InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';

const require = createRequire(import.meta.url);
const { ensureRequireHook, wrapOnRequire } = await import('../../../dist/compat/instrumentation-base.js');

/** An instrumentation patching `moduleName` with `patch` (enabled on construction, as every one). */
function probe(moduleName, patch) {
  class Probe extends InstrumentationBase {
    constructor() {
      super('probe', '1', {});
    }
    init() {
      return [new InstrumentationNodeModuleDefinition(moduleName, ['*'], (exports, v) => patch(exports, v))];
    }
  }
  return new Probe();
}

test('ensureRequireHook() puts require-in-the-middle on Module.prototype.require', () => {
  const before = Module.prototype.require;
  ensureRequireHook('contract-anchor');
  assert.notEqual(Module.prototype.require, before);
});

test('a patch runs through the instance _onRequire, with moduleExports and moduleVersion set', () => {
  const seen = [];
  const p = probe('dataloader', (exports) => exports);
  assert.equal(
    wrapOnRequire(p, (original) => (module, exports, name, baseDir) => {
      const out = original(module, exports, name, baseDir);
      seen.push({ name: module.name, version: module.moduleVersion, kept: module.moduleExports === exports, baseDir: typeof baseDir });
      return out;
    }),
    true,
  );
  require('dataloader');
  const { version } = JSON.parse(readFileSync(require.resolve('dataloader').replace(/index\.js$/, 'package.json'), 'utf8'));
  assert.deepEqual(seen, [{ name: 'dataloader', version, kept: true, baseDir: 'string' }]);
});

test("a throwing patch reaches the app's require() unless caught around _onRequire", () => {
  const boom = () => {
    throw new Error('patch failed');
  };
  probe('lru-memoizer', boom);
  assert.throws(() => require('lru-memoizer'), /patch failed/);
  const caught = probe('generic-pool', boom);
  wrapOnRequire(caught, (original) => (module, exports, name, baseDir) => {
    try {
      return original(module, exports, name, baseDir);
    } catch {
      return exports;
    }
  });
  assert.equal(typeof require('generic-pool').createPool, 'function');
});
