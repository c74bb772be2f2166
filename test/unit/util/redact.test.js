// URL credential masking shared by the logger and the dependency checks (src/util/redact.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasUrlCredentials, maskUrlCredentials } from '../../../dist/util/redact.js';

test('maskUrlCredentials: only the password goes; scheme, user, host, port, path and query stay', () => {
  assert.equal(
    maskUrlCredentials('postgres://app:s3cret@db.internal:5432/orders?sslmode=require'),
    'postgres://app:***@db.internal:5432/orders?sslmode=require',
  );
  assert.equal(maskUrlCredentials('amqp://guest:guest@127.0.0.1:5672'), 'amqp://guest:***@127.0.0.1:5672');
  // An empty user (redis://:password@host) keeps its empty user.
  assert.equal(maskUrlCredentials('redis://:hunter2@cache:6379/0'), 'redis://:***@cache:6379/0');
  // A scheme with + and . (RFC 3986).
  assert.equal(maskUrlCredentials('mongodb+srv://u:p4ss@cluster0.example.net/db'), 'mongodb+srv://u:***@cluster0.example.net/db');
});

test('maskUrlCredentials: every URL in free text, passwords containing "@" and ":" included', () => {
  const text = 'primary postgres://a:one@h1/db failed, "mysql://b:two@h2:3306/x" too; retry redis://c:th@ree@h3';
  assert.equal(maskUrlCredentials(text), 'primary postgres://a:***@h1/db failed, "mysql://b:***@h2:3306/x" too; retry redis://c:***@h3');
  assert.equal(maskUrlCredentials('postgres://app:pa:ss@db/x'), 'postgres://app:***@db/x');
  const out = maskUrlCredentials('postgres://app:p@ss@w0rd@db:5432/x');
  assert.equal(out, 'postgres://app:***@db:5432/x');
  assert.doesNotMatch(out, /w0rd|p@ss/);
});

test('maskUrlCredentials: strings without credentials come back unchanged (same string), non-strings too', () => {
  for (const s of ['http://example.com/a@b', 'user@example.com', 'https://host/path?q=a:b@c', 'no url here', 'postgres://app@db/x']) {
    assert.equal(maskUrlCredentials(s), s, s);
  }
  assert.equal(hasUrlCredentials('plain text with an @ sign'), false, 'no "://": the regex is skipped');
  assert.equal(hasUrlCredentials('x://y@z'), true);
  const obj = { a: 1 };
  assert.equal(maskUrlCredentials(obj), obj);
  assert.equal(maskUrlCredentials(undefined), undefined);
});

test('maskUrlCredentials: repeated calls work (the global regex carries no state between calls)', () => {
  const dsn = 'postgres://app:s3cret@db/x';
  for (let i = 0; i < 3; i++) assert.equal(maskUrlCredentials(`${dsn} and ${dsn}`), 'postgres://app:***@db/x and postgres://app:***@db/x');
});
