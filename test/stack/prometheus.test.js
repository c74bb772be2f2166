// prometheus/ validated by the real promtool, and its scrape targets against the compose file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ROOT } from '../helpers.js';
import { readYaml } from './stack-files.js';

const run = promisify(execFile);

test('promtool check config passes (rules included)', { timeout: 30000 }, async () => {
  const { stdout } = await run('promtool', ['check', 'config', 'prometheus/prometheus.yml'], { cwd: ROOT });
  assert.match(stdout, /SUCCESS: prometheus\/prometheus\.yml is valid/);
  assert.match(stdout, /SUCCESS: 5 rules found/);
});

test('promtool check rules passes', { timeout: 30000 }, async () => {
  const { stdout } = await run('promtool', ['check', 'rules', 'prometheus/rules.yml'], { cwd: ROOT });
  assert.match(stdout, /SUCCESS/);
});

test('the app job scrapes /metrics with the PySocketCommLib-compatible params; every target is a compose service port', () => {
  const prom = readYaml('prometheus/prometheus.yml');
  const compose = readYaml('docker-compose.yml');
  const app = prom.scrape_configs.find((j) => j.job_name === 'app');
  assert.equal(app.metrics_path, '/metrics');
  assert.deepEqual(app.params, { format: ['prometheus'] });
  const collector = readYaml('otel-collector/config.yaml');
  const known = {
    app: [compose.services.app.environment.MONITORING_PORT],
    'otel-collector': [
      collector.exporters.prometheus.endpoint.split(':')[1],
      String(collector.service.telemetry.metrics.readers[0].pull.exporter.prometheus.port),
    ],
    localhost: ['9090'],
  };
  for (const job of prom.scrape_configs) {
    for (const target of job.static_configs.flatMap((s) => s.targets)) {
      const [host, port] = target.split(':');
      assert.ok(known[host]?.includes(port), `${job.job_name}: ${target} is not a port the stack serves`);
    }
  }
});
