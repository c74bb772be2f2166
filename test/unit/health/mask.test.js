// DSN masking for dependency checks (src/health/mask.ts), on DSNs and driver messages as the
// checks meet them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskDsn, scrubberFor, secretsOf } from '../../../dist/health/mask.js';

test('maskDsn: URL password and credential query values, whatever their case; other parameters stay', () => {
  assert.equal(
    maskDsn('mysql://root:r00t@127.0.0.1:3306/app?charset=utf8mb4&Password=again&ssl=true#frag'),
    'mysql://root:***@127.0.0.1:3306/app?charset=utf8mb4&Password=***&ssl=true#frag',
  );
  assert.equal(
    maskDsn('https://api.local/v1?api-key=abc123&page=2&access_token=xyz'),
    'https://api.local/v1?api-key=***&page=2&access_token=***',
  );
  // Parameters merely ending in a credential word are not credentials.
  assert.equal(maskDsn('postgres://db/x?monkey=1&cache_key=2&tokens=3'), 'postgres://db/x?monkey=1&cache_key=2&tokens=3');
  assert.equal(maskDsn('redis://127.0.0.1:6379'), 'redis://127.0.0.1:6379');
});

test('maskDsn: in free text the value ends at whitespace, a quote or a bracket', () => {
  assert.equal(
    maskDsn('connect failed: "amqp://guest:guest@mq:5672/?token=t0k3n" (<http://h/?secret=s3 > after)'),
    'connect failed: "amqp://guest:***@mq:5672/?token=***" (<http://h/?secret=*** > after)',
  );
});

test('secretsOf: raw and decoded password and credential values, longest first, short ones left out', () => {
  assert.deepEqual(secretsOf('postgres://app:p%40ss%2Fword@db/x?sslpassword=canary-1&sslmode=require&pwd=ab'), [
    'p%40ss%2Fword',
    'p@ss/word',
    'canary-1',
  ]);
  assert.deepEqual(secretsOf('postgres://app@db/x'), []);
  // Malformed percent-encoding is kept as it is instead of throwing.
  assert.deepEqual(secretsOf('postgres://u:bad%zzpw@db'), ['bad%zzpw']);
});

test('scrubberFor: a driver error quoting the password (raw or decoded) or the whole DSN shows none of it', () => {
  const dsn = 'postgres://app:p%40ssw0rd@db.local:5432/orders?application_name=api&client_secret=cs-7781';
  const scrub = scrubberFor(dsn);
  const messages = [
    `password authentication failed for user "app" (password "p@ssw0rd")`,
    `could not connect to ${dsn}`,
    'invalid client_secret cs-7781',
  ];
  const out = messages.map(scrub);
  assert.deepEqual(out, [
    'password authentication failed for user "app" (password "***")',
    'could not connect to postgres://app:***@db.local:5432/orders?application_name=api&client_secret=***',
    'invalid client_secret ***',
  ]);
  for (const line of out) assert.doesNotMatch(line, /p@ssw0rd|p%40ssw0rd|cs-7781/);
  // Another DSN in the same text is masked too.
  assert.equal(scrub('fallback mysql://root:other@h/x'), 'fallback mysql://root:***@h/x');
});
