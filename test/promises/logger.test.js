// docs/api.md, StructuredLogger: flush() with a buffering destination, the `level`,
// `samplingRate` and `otel` options, the `fatal` and `warn` level names, and the default
// logger's level from MONITORING_LOG_LEVEL (under register, with a real OTLP receiver).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { StructuredLogger } from '@socketcomm/monitoring';
import { startApp, waitFor } from '../helpers.js';
import { startOtlpReceiver } from '../otlp.js';

function make(options) {
  const lines = [];
  const logger = new StructuredLogger({ destination: { write: (l) => lines.push(JSON.parse(l)) }, ...options });
  return { logger, lines };
}
const writeAll = (logger) => {
  logger.debug('d');
  logger.info('i');
  logger.warning('w');
  logger.error('e');
  logger.critical('c');
};

test('flush(): lines held by a buffering destination are written', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'promises-logger-'));
  try {
    const file = path.join(dir, 'app.log');
    // SonicBoom, asynchronous, writes only once 8 KiB are buffered.
    const dest = pino.destination({ dest: file, sync: false, minLength: 8192 });
    await once(dest, 'ready');
    const logger = new StructuredLogger({ destination: dest, service: 'flush-test' });
    for (let i = 0; i < 3; i++) logger.info(`buffered ${i}`);
    assert.equal(readFileSync(file, 'utf8'), '', 'nothing written yet: the lines are buffered');
    logger.flush();
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => l.msg),
      ['buffered 0', 'buffered 1', 'buffered 2'],
    );
    dest.destroy();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the level option, with the level names fatal and warn (any case)', () => {
  const error = make({ level: 'error' });
  writeAll(error.logger);
  assert.deepEqual(
    error.lines.map((l) => l.level),
    ['error', 'critical'],
  );
  const fatal = make({ level: 'FATAL' });
  writeAll(fatal.logger);
  assert.equal(fatal.logger.getLevel(), 'critical', 'fatal is critical');
  assert.deepEqual(
    fatal.lines.map((l) => l.level),
    ['critical'],
  );
  const warn = make({ level: 'Warn' });
  writeAll(warn.logger);
  assert.equal(warn.logger.getLevel(), 'warning');
  assert.deepEqual(
    warn.lines.map((l) => l.level),
    ['warning', 'error', 'critical'],
  );
  const all = make({ level: 'debug' });
  writeAll(all.logger);
  assert.equal(all.lines.length, 5);
  // setLevel takes the same names.
  all.logger.setLevel('fatal');
  all.logger.error('dropped');
  all.logger.critical('kept');
  assert.deepEqual(
    all.lines.slice(5).map((l) => l.msg),
    ['kept'],
  );
});

test('the samplingRate option: 0 drops every debug and info line, never warning and above; 1 keeps all', () => {
  const none = make({ level: 'debug', samplingRate: 0 });
  for (let i = 0; i < 50; i++) writeAll(none.logger);
  assert.deepEqual([...new Set(none.lines.map((l) => l.level))], ['warning', 'error', 'critical']);
  assert.equal(none.lines.length, 150);
  const every = make({ level: 'debug', samplingRate: 1 });
  for (let i = 0; i < 50; i++) writeAll(every.logger);
  assert.equal(every.lines.length, 250);
});

test('MONITORING_LOG_LEVEL sets the default logger; otel: false keeps a logger out of the OTLP export', async () => {
  const receiver = await startOtlpReceiver();
  const app = startApp('test/promises/fixtures/logger-app.mjs', {
    env: {
      MONITORING_LOG_LEVEL: 'FATAL',
      OTEL_SERVICE_NAME: 'logger-promises',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_LOGS_EXPORTER: 'otlp',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none',
      MONITORING_PORT: '0',
      MONITORING_HOST: '127.0.0.1',
    },
  });
  try {
    await waitFor(() => app.out.stdout.includes('READY'), 15000);
    app.child.kill('SIGTERM');
    assert.equal((await app.exited).code, 143, app.out.stderr);
  } finally {
    await app.stop('SIGKILL');
    await receiver.close();
  }
  const lines = app.out.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  assert.equal(lines.find((l) => 'defaultLevel' in l).defaultLevel, 'critical');
  const msgs = lines.map((l) => l.msg).filter(Boolean);
  assert.deepEqual(msgs, ['default critical line', 'local-only line'], 'the error line is below MONITORING_LOG_LEVEL');
  const exported = receiver
    .logRecords()
    .filter((l) => l.resource['service.name'] === 'logger-promises')
    .map((l) => l.item.body?.stringValue);
  assert.deepEqual(exported, ['default critical line'], 'otel: false is written but not exported');
  const record = receiver.logRecords().find((l) => l.item.body?.stringValue === 'default critical line').item;
  assert.equal(record.severityText, 'critical');
});

test('otel: true emits to a LoggerProvider the app installs itself, even when first used before it; otel: false never', async () => {
  const app = startApp('test/promises/fixtures/logger-otel-option.mjs', { register: false });
  const { code } = await app.exited;
  assert.equal(code, 0, app.out.stderr);
  const { exported, lines } = JSON.parse(app.out.stdout.trim().split('\n').pop());
  // Every line is written, whatever the option.
  assert.deepEqual(lines, [
    'forced, before a provider',
    'default, before a provider',
    'off, before a provider',
    'forced, after',
    'default, after',
    'off, after',
  ]);
  // Before a provider there is nowhere to emit to; after it, the forced and the default logger
  // emit (the default follows the global provider once one is set), the off one does not.
  assert.deepEqual(exported, [
    { body: 'forced, after', severity: 'warning', order_id: 7 },
    { body: 'default, after', severity: 'info' },
  ]);
});
