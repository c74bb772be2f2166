// Health status values and what a check function's return value means (src/health/status.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthStatus, isHealthStatus, normalizeOutcome, statusValue, worst } from '../../../dist/health/status.js';

const { HEALTHY, DEGRADED, UNHEALTHY } = HealthStatus;

test('worst: the aggregate of any list of statuses is its most severe one, in any order', () => {
  const all = [HEALTHY, DEGRADED, UNHEALTHY];
  for (const a of all) for (const b of all) assert.equal(worst(a, b), all[Math.max(all.indexOf(a), all.indexOf(b))], `${a} + ${b}`);
  assert.equal([HEALTHY, DEGRADED, HEALTHY].reduce(worst, HEALTHY), DEGRADED);
  assert.equal([DEGRADED, UNHEALTHY, HEALTHY].reduce(worst, HEALTHY), UNHEALTHY);
  assert.equal([].reduce(worst, HEALTHY), HEALTHY);
});

test('isHealthStatus and statusValue: the three lower-case values, plotted 1 / 0.5 / 0', () => {
  assert.deepEqual([HEALTHY, DEGRADED, UNHEALTHY].map(statusValue), [1, 0.5, 0]);
  for (const v of ['healthy', 'degraded', 'unhealthy']) assert.equal(isHealthStatus(v), true);
  for (const v of ['HEALTHY', 'ok', '', null, undefined, 1, {}]) assert.equal(isHealthStatus(v), false, String(v));
});

test('normalizeOutcome: booleans and results with a known status (any case) keep their message and details', () => {
  assert.deepEqual(normalizeOutcome(true), { status: HEALTHY, message: 'OK' });
  assert.deepEqual(normalizeOutcome(false), { status: UNHEALTHY, message: 'check returned false' });
  assert.deepEqual(normalizeOutcome({ status: 'Degraded', message: 'replica lag 12 s', details: { lagSeconds: 12 } }), {
    status: DEGRADED,
    message: 'replica lag 12 s',
    details: { lagSeconds: 12 },
  });
  assert.deepEqual(normalizeOutcome({ status: 'healthy' }), { status: HEALTHY, message: 'OK', details: undefined });
  assert.deepEqual(normalizeOutcome({ status: 'UNHEALTHY', message: 42, details: ['x'] }), {
    status: UNHEALTHY,
    message: 'unhealthy',
    details: undefined,
  });
});

test('normalizeOutcome: anything else is UNHEALTHY with a message saying what came back', () => {
  const cases = [
    [undefined, 'undefined'],
    [null, 'null'],
    [1, 'number'],
    ['healthy', 'string'],
    [['healthy'], 'an array'],
    [{ status: 'fine' }, 'an object without a valid status'],
    [{ ok: true }, 'an object without a valid status'],
  ];
  for (const [value, kind] of cases) {
    const out = normalizeOutcome(value);
    assert.equal(out.status, UNHEALTHY, JSON.stringify(value));
    assert.equal(out.message, `check returned ${kind}, not a boolean or a result with status healthy/degraded/unhealthy`);
  }
});
