// OTEL_* / MONITORING_* environment parsing (src/config/env.ts), the way the OTel SDKs read it.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { envBool, envList, envNumber, envString, exportersFor, otlpConfigured, otlpProtocol } from '../../../dist/config/env.js';

const touched = new Set();
function setEnv(vars) {
  for (const [k, v] of Object.entries(vars)) {
    touched.add(k);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}
const saved = { ...process.env };
afterEach(() => {
  for (const k of touched) {
    if (k in saved) process.env[k] = saved[k];
    else delete process.env[k];
  }
  touched.clear();
});
// Start from no OTLP configuration, whatever the shell running the tests has set.
const OTLP_VARS = ['', 'TRACES_', 'METRICS_', 'LOGS_'].flatMap((s) => [
  `OTEL_EXPORTER_OTLP_${s}ENDPOINT`,
  `OTEL_EXPORTER_OTLP_${s}PROTOCOL`,
]);
const clean = () =>
  setEnv(
    Object.fromEntries([...OTLP_VARS, 'OTEL_TRACES_EXPORTER', 'OTEL_METRICS_EXPORTER', 'OTEL_LOGS_EXPORTER'].map((k) => [k, undefined])),
  );

test('envString / envList: blank means unset; values trimmed; lists split on commas, lower-cased, empties dropped', () => {
  setEnv({ UNIT_A: '  value  ', UNIT_BLANK: '   ', UNIT_LIST: ' OTLP, ,Console ,,prometheus ', UNIT_UNSET: undefined });
  assert.equal(envString('UNIT_A'), 'value');
  assert.equal(envString('UNIT_BLANK'), undefined);
  assert.equal(envString('UNIT_UNSET'), undefined);
  assert.deepEqual(envList('UNIT_LIST'), ['otlp', 'console', 'prometheus']);
  assert.equal(envList('UNIT_BLANK'), undefined);
});

test('envBool / envNumber: true/false/1/0 in any case, non-negative finite numbers; anything else is the fallback', () => {
  const bools = { ' TRUE ': true, False: false, 1: true, 0: false, yes: 'fallback', '': 'fallback' };
  for (const [raw, want] of Object.entries(bools)) {
    setEnv({ UNIT_B: raw });
    assert.equal(envBool('UNIT_B', true), want === 'fallback' ? true : want, JSON.stringify(raw));
    assert.equal(envBool('UNIT_B', false), want === 'fallback' ? false : want, JSON.stringify(raw));
  }
  const numbers = { 250: 250, ' 1.5 ': 1.5, 0: 0, '1e3': 1000, '-1': 7, abc: 7, Infinity: 7, '': 7 };
  for (const [raw, want] of Object.entries(numbers)) {
    setEnv({ UNIT_N: raw });
    assert.equal(envNumber('UNIT_N', 7), want, JSON.stringify(raw));
  }
});

test('exportersFor: unset means otlp only when an endpoint is configured; "none" anywhere means none', () => {
  clean();
  assert.deepEqual(exportersFor('traces'), []);
  assert.equal(otlpConfigured('traces'), false);
  setEnv({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://127.0.0.1:4318/v1/metrics' });
  assert.deepEqual(exportersFor('metrics'), ['otlp']);
  assert.deepEqual(exportersFor('traces'), [], 'a per-signal endpoint configures only its signal');
  setEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' });
  assert.deepEqual(exportersFor('logs'), ['otlp']);
  setEnv({ OTEL_TRACES_EXPORTER: 'console, OTLP' });
  assert.deepEqual(exportersFor('traces'), ['console', 'otlp']);
  setEnv({ OTEL_TRACES_EXPORTER: 'otlp,none' });
  assert.deepEqual(exportersFor('traces'), []);
  setEnv({ OTEL_METRICS_EXPORTER: '  ' });
  assert.deepEqual(exportersFor('metrics'), ['otlp'], 'blank is unset');
});

test('otlpProtocol: per-signal beats generic beats http/protobuf; lower-cased', () => {
  clean();
  assert.equal(otlpProtocol('traces'), 'http/protobuf');
  setEnv({ OTEL_EXPORTER_OTLP_PROTOCOL: 'GRPC' });
  assert.equal(otlpProtocol('traces'), 'grpc');
  setEnv({ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' });
  assert.equal(otlpProtocol('traces'), 'http/json');
  assert.equal(otlpProtocol('logs'), 'grpc');
});
