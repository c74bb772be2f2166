// Contract of src/compat/node-module.ts with this Node: Node's ESM loader imports a CommonJS
// file through Module._load with its absolute filename and no parent (not through require()),
// and builds the namespace from module.exports in require.cache; require() calls Module._load
// with the request and its parent; orphanRequire() and resolveFilename() load and resolve.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const { orphanRequire, resolveFilename, loadedFiles } = require('../../../dist/cjs/compat/node-module.js');

test('an ES module importing a CommonJS file: Module._load(absolute file, no parent)', () => {
  const r = spawnSync(
    process.execPath,
    ['--require', path.join(here, 'fixtures/watch-loads.cjs'), path.join(here, 'fixtures/esm-imports-cjs.mjs')],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { value: { plain: true } });
  const loads = r.stderr
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(loads, [{ request: path.join(here, 'fixtures/plain.cjs'), parent: null, isMain: false, same: true }]);
});

test('orphanRequire() loads an absolute file into require.cache; resolveFilename() resolves like require.resolve', () => {
  const file = path.join(here, 'fixtures/plain.cjs');
  assert.deepEqual(orphanRequire()(file), { plain: true });
  assert.ok(loadedFiles().includes(file));
  assert.equal(
    resolveFilename('dataloader', { paths: require.resolve.paths('dataloader'), filename: file, id: file }),
    require.resolve('dataloader'),
  );
});
