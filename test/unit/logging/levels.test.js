// Log levels (src/logging/levels.ts): our names, pino's methods and numbers, OTel severities.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { LEVELS, LogLevel, PINO_LABEL, parseLevel } from '../../../dist/logging/levels.js';

test('LEVELS: ordered, indexed, and mapped onto pino numbers/methods and OTel severities', () => {
  assert.deepEqual(
    LEVELS.map((l) => [l.name, l.value, l.method, l.severity, l.index]),
    [
      ['debug', 20, 'debug', SeverityNumber.DEBUG, 0],
      ['info', 30, 'info', SeverityNumber.INFO, 1],
      ['warning', 40, 'warn', SeverityNumber.WARN, 2],
      ['error', 50, 'error', SeverityNumber.ERROR, 3],
      ['critical', 60, 'fatal', SeverityNumber.FATAL, 4],
    ],
  );
  assert.deepEqual(
    Object.values(LogLevel),
    LEVELS.map((l) => l.name),
  );
});

test('parseLevel: our names and pino/OTel aliases in any case; anything else is undefined', () => {
  assert.equal(parseLevel('WARN').name, 'warning');
  assert.equal(parseLevel('Warning').name, 'warning');
  assert.equal(parseLevel('fatal').name, 'critical');
  assert.equal(parseLevel(LogLevel.CRITICAL).value, 60);
  assert.equal(parseLevel('debug').index, 0);
  for (const bad of ['trace', 'verbose', '', ' info', 30, null, undefined, {}, 'constructor', '__proto__', 'toString']) {
    assert.equal(parseLevel(bad), undefined, String(bad));
  }
});

test('PINO_LABEL: every pino label maps to one of our names (trace folds into debug)', () => {
  assert.deepEqual(PINO_LABEL, { trace: 'debug', debug: 'debug', info: 'info', warn: 'warning', error: 'error', fatal: 'critical' });
  for (const l of LEVELS) assert.equal(PINO_LABEL[l.method], l.name);
});
