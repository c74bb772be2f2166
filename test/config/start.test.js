// An app under `--import ./register` with OTEL_CONFIG_FILE: an unusable file is one error on
// stderr and leaves the health routes only (the app runs); under MONITORING_STRICT=1 the
// process exits 1 before the app's code runs; /status shows the effective configuration to an
// authorized client only, credentials hidden; the socketcomm-monitoring command.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, freePort, startApp, waitFor, waitForHttp } from '../helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'config-start-'));
after(() => rmSync(dir, { recursive: true, force: true }));
function file(name, text) {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}
const APP = 'test/fixtures/plain-server.mjs';
const CLI = path.join(ROOT, 'dist/cjs/config/cli.js');

const BAD = {
  'a YAML error': ['file_format: "1.0"\nmeter_provider:\n  readers: [\n', /bad-yaml\.yaml:4: not valid YAML: /],
  'a wrong type': [
    'file_format: "1.0"\nmeter_provider:\n  readers:\n    - periodic:\n        interval: soon\n        exporter: {console: {}}\n',
    /wrong-type\.yaml:5: meter_provider\.readers\[0\]\.periodic\.interval: expected integer or null, got "soon"$/m,
  ],
  'an unknown enum value': [
    'file_format: "1.0"\ntracer_provider:\n  processors: [{simple: {exporter: {console: {}}}}]\n  sampler: {parent_based: {root: {always_on: {}}}}\nlog_level: loud\n',
    /unknown-enum\.yaml:5: log_level: expected one of "trace", .*"fatal4"(, null)?, got "loud"$/m,
  ],
  'an unreadable file': [null, /missing\.yaml: cannot be read \(ENOENT\)$/m],
};
const NAMES = {
  'a YAML error': 'bad-yaml.yaml',
  'a wrong type': 'wrong-type.yaml',
  'an unknown enum value': 'unknown-enum.yaml',
  'an unreadable file': 'missing.yaml',
};

for (const [what, [text, expected]] of Object.entries(BAD)) {
  test(`${what}: one error on stderr naming the file and path; the app runs; only the health routes answer`, async () => {
    const name = NAMES[what];
    const p = text === null ? path.join(dir, name) : file(name, text);
    const [ap, mp] = [await freePort(), await freePort()];
    const app = startApp(APP, {
      env: { OTEL_CONFIG_FILE: p, APP_PORT: String(ap), MONITORING_PORT: String(mp), MONITORING_HOST: '127.0.0.1' },
    });
    try {
      await waitFor(() => app.out.stdout.includes('ready'));
      assert.equal(await (await fetch(`http://127.0.0.1:${ap}/`)).text(), 'esm', 'the app answers');
      const errors = app.out.stderr.split('\n').filter((l) => l.includes('invalid configuration file'));
      assert.equal(errors.length, 1, app.out.stderr);
      assert.ok(errors[0].includes(p), errors[0]);
      assert.match(errors[0], expected);
      assert.equal((await fetch(`http://127.0.0.1:${mp}/health/live`)).status, 200);
      assert.equal((await fetch(`http://127.0.0.1:${mp}/health`)).status, 200);
      for (const route of ['/metrics', '/status', '/', '/api/overview']) {
        assert.equal((await fetch(`http://127.0.0.1:${mp}${route}`)).status, 404, route);
      }
    } finally {
      await app.stop();
    }
  });
}

test('MONITORING_STRICT=1 with an invalid file: exit code 1 before the app runs, the error on stderr', async () => {
  const p = file(
    'strict.yaml',
    'file_format: "1.0"\nmeter_provider:\n  exemplar_filter: sometimes\n  readers: [{periodic: {exporter: {console: {}}}}]\n',
  );
  const app = startApp(APP, { env: { OTEL_CONFIG_FILE: p, MONITORING_STRICT: '1', APP_PORT: '0', MONITORING_PORT: '0' } });
  const { code } = await app.exited;
  assert.equal(code, 1);
  assert.equal(app.out.stdout, '', 'the app printed nothing: it never ran');
  assert.match(app.out.stderr, /strict\.yaml:3: meter_provider\.exemplar_filter: expected one of "always_on", "always_off", "trace_based"/);
  assert.match(app.out.stderr, /MONITORING_STRICT=1: exiting before the app starts/);
});

test('/status shows the effective configuration, its origins and warnings to an authorized client, credentials hidden; nothing without the token', async () => {
  const p = file(
    'status.yaml',
    `file_format: "1.0"
typo_key: 1
resource:
  attributes: [{name: service.name, value: status-from-file}]
tracer_provider:
  processors:
    - batch:
        exporter:
          otlp_http: {endpoint: "http://app:pa55word@127.0.0.1:9/v1/traces", headers: [{name: x-api-key, value: k3y-value}]}
distribution:
  socketcomm_monitoring:
    server: {auth_token: "t0ken-value", host: 127.0.0.1}
`,
  );
  const [ap, mp] = [await freePort(), await freePort()];
  const app = startApp(APP, {
    env: { OTEL_CONFIG_FILE: p, APP_PORT: String(ap), MONITORING_PORT: String(mp), MONITORING_SHUTDOWN_DELAY_MS: '5' },
  });
  try {
    await waitForHttp(`http://127.0.0.1:${mp}/health/live`);
    assert.match(app.out.stderr, /warning: .*status\.yaml: typo_key: unknown key; ignored/);
    assert.equal((await fetch(`http://127.0.0.1:${mp}/status`, { headers: { 'x-forwarded-for': '' } })).status, 401);
    const res = await fetch(`http://127.0.0.1:${mp}/status`, { headers: { authorization: 'Bearer t0ken-value' } });
    const text = await res.text();
    for (const secret of ['pa55word', 'k3y-value', 't0ken-value']) assert.ok(!text.includes(secret), `${secret} leaked`);
    const { configuration: c, service } = JSON.parse(text);
    assert.equal(service.name, 'status-from-file');
    assert.equal(c.source, 'file');
    assert.equal(c.file, p);
    assert.equal(c.parts.resource.origin, p);
    assert.equal(c.parts.monitoring.origin, `${p} (distribution.socketcomm_monitoring), environment`);
    assert.equal(c.parts.monitoring.value.shutdownDelayMs, 5, 'the environment fills what the file leaves out');
    assert.equal(c.parts.tracer_provider.value.processors[0].exporter.endpoint, 'http://app:***@127.0.0.1:9/v1/traces');
    assert.deepEqual(c.parts.tracer_provider.value.processors[0].exporter.headers, { 'x-api-key': '[REDACTED]' });
    assert.ok(c.warnings.some((w) => w.endsWith('typo_key: unknown key; ignored')));
    const overview = await (
      await fetch(`http://127.0.0.1:${mp}/api/overview`, { headers: { authorization: 'Bearer t0ken-value' } })
    ).json();
    assert.deepEqual(overview.configuration, c, 'the status page reads the same');
  } finally {
    await app.stop();
  }
});

test('socketcomm-monitoring config validate: 0 valid (warnings on stderr), 1 invalid; config print: redacted YAML from the file or the environment', () => {
  const run = (args, env = {}) =>
    spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env }, cwd: dir });
  const good = file(
    'good.yaml',
    'file_format: "1.0"\nmystery: 1\ndistribution:\n  socketcomm_monitoring: {server: {auth_token: cli-s3cret}}\n',
  );
  const v = run(['config', 'validate', good]);
  assert.equal(v.status, 0, v.stderr);
  assert.equal(v.stdout, `${good}: valid (1 warning)\n`);
  assert.equal(v.stderr, `warning: ${good}: mystery: unknown key; ignored\n`);

  const bad = file('bad.yaml', 'file_format: "1.0"\ndisabled: maybe\n');
  const b = run(['config', 'validate'], { OTEL_CONFIG_FILE: bad });
  assert.equal(b.status, 1);
  assert.equal(b.stderr, `error: ${bad}:2: disabled: expected boolean or null, got "maybe"\n`);
  assert.equal(run(['config', 'validate', path.join(dir, 'nope.yaml')]).status, 1);
  assert.equal(run(['config', 'validate']).status, 1, 'no file at all');
  assert.equal(run(['config', 'frobnicate']).status, 1);

  const fromFile = run(['config', 'print'], { OTEL_CONFIG_FILE: good });
  assert.equal(fromFile.status, 0, fromFile.stderr);
  assert.match(fromFile.stdout, /^source: file\nfile: .*good\.yaml\n/);
  assert.match(fromFile.stdout, /authToken: "?\[REDACTED\]"?/);
  assert.ok(!fromFile.stdout.includes('cli-s3cret'));
  const fromEnv = run(['config', 'print'], {
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://u:envpass@127.0.0.1:4318',
    OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer zzz',
    MONITORING_PORT: '9555',
  });
  assert.equal(fromEnv.status, 0, fromEnv.stderr);
  assert.match(fromEnv.stdout, /^source: environment\n/);
  assert.match(fromEnv.stdout, /port: 9555/);
  assert.match(fromEnv.stdout, /endpoint: http:\/\/u:\*\*\*@127\.0\.0\.1:4318/);
  for (const secret of ['envpass', 'zzz']) assert.ok(!fromEnv.stdout.includes(secret), secret);
  assert.equal(run(['config', 'print'], { OTEL_CONFIG_FILE: bad }).status, 1);
});
