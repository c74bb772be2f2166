// docker-compose.yml and the Dockerfile, validated without a Docker engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers.js';
import { readYaml } from './stack-files.js';

const run = promisify(execFile);
const compose = readYaml('docker-compose.yml');
const services = Object.entries(compose.services);

test('docker-compose config -q accepts the compose file', { timeout: 30000 }, async () => {
  const { stderr } = await run('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], { cwd: ROOT });
  assert.equal(stderr.trim(), '');
});

test('dclint reports no error and no warning', { timeout: 30000 }, async () => {
  const r = await run(process.execPath, [path.join(ROOT, 'node_modules/dclint/bin/dclint.cjs'), 'docker-compose.yml'], { cwd: ROOT }).catch(
    (e) => e,
  );
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  assert.equal(r.code ?? 0, 0, out);
  assert.doesNotMatch(out, /warning|error/i, out);
});

test('every file or folder the compose file mounts exists', () => {
  let mounts = 0;
  for (const [name, svc] of services) {
    for (const v of svc.volumes ?? []) {
      const source = typeof v === 'string' ? v.split(':')[0] : v.source;
      if (!source.startsWith('.') && !source.startsWith('/')) {
        assert.ok(compose.volumes && source in compose.volumes, `${name}: named volume ${source} is declared`);
        continue;
      }
      mounts++;
      assert.ok(fs.existsSync(path.resolve(ROOT, source)), `${name} mounts ${source}, which is missing`);
    }
  }
  assert.ok(mounts >= 6, `expected the config mounts, found ${mounts}`);
});

test('images are pinned, ports bind 127.0.0.1 only, long-running services have healthchecks', () => {
  for (const [name, svc] of services) {
    if (svc.image) assert.match(svc.image, /:[\w.-]+$/, `${name}: image has a tag`);
    if (svc.image) assert.doesNotMatch(svc.image, /:latest$/, `${name}: image tag is pinned`);
    for (const p of svc.ports ?? []) assert.match(String(p), /^127\.0\.0\.1:\d+:\d+$/, `${name}: port ${p} is bound to loopback`);
  }
  // The collector image has no shell or HTTP client: it is the one service without one.
  const withoutHealthcheck = services
    .filter(([, s]) => !s.healthcheck)
    .map(([n]) => n)
    .sort();
  assert.deepEqual(withoutHealthcheck, ['loadgen', 'otel-collector']);
});

test('the app runs the example under --import ./register and pushes OTLP to the collector', () => {
  const app = compose.services.app;
  assert.deepEqual(app.command, ['node', '--import', './register', 'examples/app.js']);
  assert.ok(fs.existsSync(path.join(ROOT, 'examples/app.js')));
  assert.equal(app.environment.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://otel-collector:4318');
  assert.equal(app.build.dockerfile, 'Dockerfile');
  const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  assert.match(dockerfile, /^FROM node:\d+\.\d+[\w.-]*/m, 'Node base image is pinned');
  assert.match(dockerfile, /CMD \["node", "--import", "\.\/register", "examples\/app\.js"\]/);
  for (const src of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
    for (const f of src[1].split(/\s+/)) assert.ok(fs.existsSync(path.join(ROOT, f)), `Dockerfile copies ${f}, which is missing`);
  }
});

test('Grafana depends on the datasources it provisions, and Prometheus keeps exemplars', () => {
  const grafana = compose.services.grafana;
  assert.deepEqual(Object.keys(grafana.depends_on).sort(), ['loki', 'prometheus', 'tempo']);
  assert.ok(compose.services.prometheus.command.includes('--enable-feature=exemplar-storage'));
});
