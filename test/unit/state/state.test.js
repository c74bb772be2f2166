// The process state (src/state.ts): one object per process on a global symbol whose name
// carries the state's version, shared by the ESM and CommonJS builds; a copy with another
// version is reported once; a state made by an older copy of the same version is completed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));

// Before any module of the package loads: two foreign copies (an unversioned one, as 0.1.0
// made, and a future state version) and a partial state of our own version, as an older copy
// that knew fewer fields would have left it.
const warnings = [];
process.on('warning', (w) => warnings.push(w));
globalThis[Symbol.for(`${pkg.name}/state`)] = { singletons: new Map() };
globalThis[Symbol.for(`${pkg.name}/state@99`)] = { version: 99, createdBy: '9.0.0' };
const partial = { version: 1, createdBy: '0.0.1', sdk: { registered: true } };
globalThis[Symbol.for(`${pkg.name}/state@1`)] = partial;

const esm = await import('../../../dist/state.js');
const cjs = require('../../../dist/cjs/state.js');

test('the key carries the state version; the ESM and CommonJS builds share one state', () => {
  assert.equal(esm.STATE_VERSION, 1);
  const s = esm.getState();
  assert.equal(s, globalThis[Symbol.for(`${pkg.name}/state@${esm.STATE_VERSION}`)]);
  assert.equal(cjs.getState(), s);
});

test('a state left by an older copy of the same version keeps its values and gains the fields added since', () => {
  const s = esm.getState();
  assert.equal(s, partial);
  assert.equal(s.sdk.registered, true, 'kept');
  assert.equal(s.sdk.esmEntry, false, 'added inside an existing group');
  assert.deepEqual(s.shutdown.steps, { begin: [], beforeSdk: [], end: [] }, 'a missing group is added');
  assert.ok(s.report.seen instanceof Set);
});

test('each foreign copy is reported once per process, not once per copy of ours', async () => {
  await new Promise((r) => setImmediate(r)); // process warnings are emitted on the next tick
  const foreign = warnings.filter((w) => w.name === 'MonitoringWarning' && /another copy/.test(w.message));
  assert.equal(foreign.length, 2, foreign.map((w) => w.message).join('\n'));
  assert.match(foreign.map((w) => w.message).join('\n'), /version 9\.0\.0, state 99/);
  assert.match(foreign.map((w) => w.message).join('\n'), /an older version, state unversioned/);
});

test('singletons, warnings and the shutdown sequence are per process, whichever build asks', async () => {
  const a = esm.singleton('MetricsCollector', () => ({ from: 'esm' }));
  const b = cjs.singleton('MetricsCollector', () => ({ from: 'cjs' }));
  assert.equal(b, a);

  const reportEsm = await import('../../../dist/util/report.js');
  const reportCjs = require('../../../dist/cjs/util/report.js');
  const before = warnings.length;
  reportEsm.warnOnce('state test: said once');
  reportCjs.warnOnce('state test: said once');
  await new Promise((r) => setImmediate(r));
  assert.equal(warnings.slice(before).filter((w) => w.message === 'state test: said once').length, 1);

  const shutdownEsm = await import('../../../dist/shutdown.js');
  const shutdownCjs = require('../../../dist/cjs/shutdown.js');
  const order = [];
  shutdownCjs.onShutdown('end', () => order.push('cjs end'));
  shutdownEsm.onShutdown('beforeSdk', () => order.push('esm beforeSdk'));
  shutdownEsm.onShutdown('begin', () => order.push('esm begin'));
  const p = shutdownEsm.shutdown();
  assert.equal(shutdownCjs.shutdown(), p, 'one sequence per process');
  assert.equal(shutdownCjs.isShuttingDown(), true);
  await p;
  assert.deepEqual(order, ['esm begin', 'esm beforeSdk', 'cjs end']);
});

test("the package name and version in the code are package.json's", async () => {
  const info = await import('../../../dist/package-info.js');
  assert.equal(info.PACKAGE_NAME, pkg.name);
  assert.equal(info.PACKAGE_VERSION, pkg.version);
});
