// Redaction by default: a canary secret under every sensitive key (any case, nested, in
// arrays, in context and child fields, in errors) and inside connection strings never
// appears in the output, in the recent-logs ring or in the OTel record attributes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StructuredLogger, DEFAULT_REDACT_KEYS, maskUrlCredentials } from '../../dist/index.js';

const CANARY = 'CANARY-9f3a1c';

function make(options = {}) {
  const out = [];
  const logger = new StructuredLogger({ isolated: true, destination: { write: (l) => out.push(l) }, ...options });
  return { logger, out };
}

test('every default sensitive key, any case, any depth, is [REDACTED]', () => {
  const { logger, out } = make();
  const keys = ['authorization', 'password', 'passwd', 'secret', 'token', 'api_key', 'apikey', 'cookie', 'set-cookie'];
  assert.deepEqual([...DEFAULT_REDACT_KEYS].sort(), [...keys].sort());
  const variants = (k) => [k, k.toUpperCase(), k[0].toUpperCase() + k.slice(1)];
  const fields = {};
  for (const k of keys) for (const v of variants(k)) fields[v] = CANARY;
  logger.info('flat', fields);
  logger.info('nested', {
    headers: { Authorization: `Bearer ${CANARY}`, 'Set-Cookie': [`sid=${CANARY}`] },
    list: [{ password: CANARY }],
    deep: { a: { b: { c: { token: CANARY } } } },
  });
  logger.info('compound', { access_token: CANARY, dbPassword: CANARY, 'x-api-key': CANARY, client_secret: CANARY, apiKey: CANARY });
  logger.context({ session: { cookie: CANARY } }, () => logger.info('ctx'));
  logger.child({ secret: CANARY }).info('child');
  const err = Object.assign(new Error('e'), { token: CANARY });
  logger.exception('err', err);
  const text = out.join('');
  assert.equal(out.length, 6);
  assert.ok(!text.includes(CANARY), 'no canary in the output');
  const flat = JSON.parse(out[0]);
  for (const k of keys) assert.equal(flat[k], '[REDACTED]', k);
  assert.equal(JSON.parse(out[1]).headers.Authorization, '[REDACTED]');
  assert.equal(JSON.parse(out[2]).access_token, '[REDACTED]');
  // Non-sensitive keys that merely contain a word stay readable.
  logger.info('fine', { token_count: 3, tokens: 4, passwordless: true });
  const fine = JSON.parse(out[6]);
  assert.deepEqual([fine.token_count, fine.tokens, fine.passwordless], [3, 4, true]);
});

test('connection strings anywhere are stripped of credentials', () => {
  const { logger, out } = make();
  logger.info(`connecting to postgres://app:${CANARY}@db:5432/x`, {
    dsn: `mysql://root:${CANARY}@127.0.0.1:3306/db`,
    nested: { urls: [`redis://:${CANARY}@cache:6379/0`, `amqp://guest:${CANARY}@mq`] },
  });
  logger.logDatabaseQuery(`SELECT dblink('host=x', 'postgres://u:${CANARY}@h/d')`, 1, 0);
  logger.logRequestStart('GET', `/proxy?target=http://u:${CANARY}@h/`);
  const text = out.join('');
  assert.ok(!text.includes(CANARY), text);
  const l = JSON.parse(out[0]);
  assert.equal(l.msg, 'connecting to postgres://app:***@db:5432/x');
  assert.equal(l.dsn, 'mysql://root:***@127.0.0.1:3306/db');
  assert.equal(l.nested.urls[0], 'redis://:***@cache:6379/0');
});

test('maskUrlCredentials keeps user and host, hides only the password', () => {
  assert.equal(maskUrlCredentials('postgres://app:pw@db:5432/x'), 'postgres://app:***@db:5432/x');
  assert.equal(maskUrlCredentials('mysql://root:p@ss@h/db'), 'mysql://root:***@h/db');
  assert.equal(maskUrlCredentials('a://u:p@h b://v:q@k'), 'a://u:***@h b://v:***@k');
  assert.equal(maskUrlCredentials('http://user@host/x'), 'http://user@host/x');
  assert.equal(maskUrlCredentials('no url here'), 'no url here');
});

test('the redaction list is configurable', () => {
  const { logger, out } = make({ redactKeys: ['ssn'] });
  logger.info('custom', { ssn: CANARY, SSN: CANARY, password: 'visible-now' });
  const l = JSON.parse(out[0]);
  assert.equal(l.ssn, '[REDACTED]');
  assert.equal(l.SSN, '[REDACTED]');
  assert.equal(l.password, 'visible-now');
});
