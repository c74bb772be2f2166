// Query parameters kept out of HTTP span attributes (src/sdk/redaction.ts), checked against
// instrumentation-http, which compares the names exactly and is given this list by src/sdk/instrumentations.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SENSITIVE_QUERY_PARAMS } from '../../../dist/sdk/redaction.js';

test('SENSITIVE_QUERY_PARAMS: lower, UPPER and Capitalised-Words spellings of each credential name, once each', () => {
  for (const name of [
    'password',
    'PASSWORD',
    'Password',
    'client_secret',
    'Client_Secret',
    'CLIENT_SECRET',
    'x-api-key',
    'X-Api-Key',
    'access_token',
    'Access_Token',
  ]) {
    assert.ok(SENSITIVE_QUERY_PARAMS.includes(name), name);
  }
  assert.ok(
    SENSITIVE_QUERY_PARAMS.includes('X-Amz-Signature') && SENSITIVE_QUERY_PARAMS.includes('sig'),
    "OTel's signed-URL defaults stay",
  );
  assert.equal(new Set(SENSITIVE_QUERY_PARAMS).size, SENSITIVE_QUERY_PARAMS.length, 'no duplicates');
  for (const harmless of ['page', 'q', 'sort', 'keyword']) assert.ok(!SENSITIVE_QUERY_PARAMS.includes(harmless), harmless);
});

test('instrumentation-http, given the list, redacts the credential spellings a client sends and keeps the rest', async () => {
  // The function instrumentation-http applies to `url.query` / `url.full` with this list.
  const { redactQueryString, getAbsoluteUrl } = await import('@opentelemetry/instrumentation-http/build/src/utils.js');
  const query = 'page=2&Password=hunter2&X-Api-Key=k-123&access_token=at-9&sort=name&CLIENT_SECRET=cs&X-Amz-Signature=sig1';
  const out = new URLSearchParams(redactQueryString(query, SENSITIVE_QUERY_PARAMS));
  assert.deepEqual(Object.fromEntries(out), {
    page: '2',
    Password: 'REDACTED',
    'X-Api-Key': 'REDACTED',
    access_token: 'REDACTED',
    sort: 'name',
    CLIENT_SECRET: 'REDACTED',
    'X-Amz-Signature': 'REDACTED',
  });
  const full = getAbsoluteUrl({ protocol: 'http:', host: '127.0.0.1:8080', path: `/orders?${query}` }, {}, 'http:', SENSITIVE_QUERY_PARAMS);
  assert.doesNotMatch(full, /hunter2|k-123|at-9|cs&|sig1/);
  assert.match(full, /^http:\/\/127\.0\.0\.1:8080\/orders\?page=2&/);
});
