// Log field sanitising (src/logging/sanitize.ts): redaction by key, URL credentials in strings,
// and values JSON cannot print.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sanitizer, maskString } from '../../../dist/logging/sanitize.js';
import { REDACTED } from '../../../dist/util/redact.js';

const copy = (fields, sanitizer = new Sanitizer()) => {
  const out = {};
  sanitizer.copyInto(out, fields);
  return out;
};

test('sensitive keys: exact, any case, and as the last word of camelCase, kebab, dotted or snake compounds', () => {
  const s = new Sanitizer();
  for (const k of [
    'password',
    'Authorization',
    'TOKEN',
    'set-cookie',
    'api_key',
    'apiKey',
    'dbPassword',
    'access_token',
    'accessToken',
    'x-api-key',
    'user.password',
    'Refresh-Token',
  ]) {
    assert.equal(s.isSensitive(k), true, k);
  }
  for (const k of ['passwordPolicy', 'tokens', 'cache_key', 'author', 'tokenizer', 'user', 'cookies_enabled']) {
    assert.equal(s.isSensitive(k), false, k);
  }
  // A custom list replaces the defaults.
  const custom = new Sanitizer(['ssn']);
  assert.equal(custom.isSensitive('customer_ssn'), true);
  assert.equal(custom.isSensitive('password'), false);
});

test('copyInto: redacts at any depth, masks URL credentials in strings, keeps everything else', () => {
  const out = copy({
    user: 'ada',
    password: 'hunter2',
    count: 3,
    ok: true,
    db: { url: 'postgres://app:s3cret@db/x', auth: { token: 't', kind: 'bearer' } },
    list: [{ apiKey: 'k' }, 'redis://:pw1234@cache:6379'],
  });
  assert.deepEqual(out, {
    user: 'ada',
    password: REDACTED,
    count: 3,
    ok: true,
    db: { url: 'postgres://app:***@db/x', auth: { token: REDACTED, kind: 'bearer' } },
    list: [{ apiKey: REDACTED }, 'redis://:***@cache:6379'],
  });
  assert.doesNotMatch(JSON.stringify(out), /hunter2|s3cret|pw1234/);
});

test('copyInto: cycles, BigInt, functions, symbols, dates, buffers, maps and sets become printable', () => {
  const loop = { name: 'loop' };
  loop.self = loop;
  const out = copy({
    loop,
    big: 12345678901234567890n,
    fn: function handler() {},
    anon: () => {},
    sym: Symbol('s'),
    when: new Date(Date.UTC(2025, 0, 2)),
    invalid: new Date(NaN),
    buf: Buffer.from('abc'),
    map: new Map([
      ['a', 1],
      ['secret', 'x'],
    ]),
    set: new Set([1, 2]),
  });
  assert.equal(out.loop.self, '[Circular]');
  assert.equal(out.big, '12345678901234567890');
  assert.equal(out.fn, '[Function handler]');
  assert.equal(out.anon, '[Function anon]');
  assert.equal(out.sym, 'Symbol(s)');
  assert.equal(out.when, '2025-01-02T00:00:00.000Z');
  assert.equal(out.invalid, null);
  assert.equal(out.buf, '[Buffer 3 bytes]');
  assert.deepEqual(out.map, { a: 1, secret: REDACTED });
  assert.deepEqual(out.set, [1, 2]);
  JSON.stringify(out); // must not throw
});

test('copyInto: depth and array length are bounded; throwing getters and toJSON do not escape', () => {
  let deep = { leaf: 1 };
  for (let i = 0; i < 20; i++) deep = { next: deep };
  const long = Array.from({ length: 1005 }, (_, i) => i);
  const hostile = {
    get boom() {
      throw new Error('getter');
    },
  };
  const badJson = {
    toJSON() {
      throw new Error('toJSON');
    },
  };
  const out = copy({ deep, long, hostile, badJson });
  let node = out.deep;
  let levels = 0;
  while (typeof node === 'object') {
    node = node.next;
    levels++;
  }
  assert.equal(node, '[Object]');
  assert.ok(levels <= 9, `cut after ${levels} levels`);
  assert.equal(out.long.length, 1001);
  assert.equal(out.long.at(-1), '[5 more]');
  assert.equal(out.hostile, '[Unserializable]');
  assert.equal(out.badJson, '[Unserializable]');
  const top = {};
  new Sanitizer().copyInto(top, hostile);
  assert.deepEqual(top, { boom: '[Unreadable]' });
});

test('error(): type, message and stack with credentials masked, extra properties sanitised', () => {
  const e = new TypeError('connect to postgres://app:s3cret@db:5432/x failed');
  e.code = 'ECONNREFUSED';
  e.password = 'p';
  e.cause_detail = { dsn: 'mysql://root:rootpw@db/x' };
  const out = new Sanitizer().error(e);
  assert.equal(out.type, 'TypeError');
  assert.equal(out.message, 'connect to postgres://app:***@db:5432/x failed');
  assert.match(out.stack, /^TypeError: connect to postgres:\/\/app:\*\*\*@db:5432\/x failed\n\s+at /);
  assert.equal(out.code, 'ECONNREFUSED');
  assert.equal(out.password, REDACTED);
  assert.deepEqual(out.cause_detail, { dsn: 'mysql://root:***@db/x' });
  assert.doesNotMatch(JSON.stringify(out), /s3cret|rootpw/);
  assert.equal(maskString('no credentials'), 'no credentials');
});
