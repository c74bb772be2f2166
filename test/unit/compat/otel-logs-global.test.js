// Contract of src/compat/otel-logs-global.ts with the pinned @opentelemetry/api-logs: the
// global LoggerProvider still lives under Symbol.for('io.opentelemetry.js.api.logs').
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logs } from '@opentelemetry/api-logs';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { globalLoggerProviderSet } from '../../../dist/compat/otel-logs-global.js';

test('set and removed with the public API, seen through the global symbol', async () => {
  assert.equal(globalLoggerProviderSet(), false);
  const provider = new LoggerProvider();
  logs.setGlobalLoggerProvider(provider);
  assert.equal(globalLoggerProviderSet(), true);
  assert.equal(logs.getLoggerProvider(), provider);
  logs.disable();
  assert.equal(globalLoggerProviderSet(), false);
  await provider.shutdown();
});
