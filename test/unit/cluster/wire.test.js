// Leader/follower framing (src/cluster/wire.ts): one JSON message per line. A PassThrough
// stands in for the socket: readLines and send use only its stream side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { readLines, send } from '../../../dist/cluster/wire.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('send → readLines: messages round-trip one per line, strings with newlines included', async () => {
  const socket = new PassThrough();
  const got = [];
  readLines(socket, (m) => got.push(m));
  const messages = [
    { t: 'hello', info: { id: '1', pid: 42, startedAt: 1 } },
    { t: 'metrics', seq: 7, p: { m: [[1, 1, 0, 0, 1, 0, 3, 2.5]], ad: [3, { route: 'a\nb', 'x"y': '\u2028' }] } },
    { t: 'flushed' },
  ];
  for (const m of messages) send(socket, m);
  await tick();
  assert.deepEqual(got, messages);
});

test('readLines: a message split over many chunks, and many messages in one chunk, each arrive once', async () => {
  const socket = new PassThrough();
  const got = [];
  readLines(socket, (m) => got.push(m));
  const big = { t: 'final', p: { m: [Array.from({ length: 2000 }, (_, i) => i)] } };
  const line = JSON.stringify(big) + '\n';
  for (let i = 0; i < line.length; i += 997) socket.write(line.slice(i, i + 997));
  socket.write('{"t":"collect","seq":1}\n\n{"t":"collect","seq":2}\n{"t":"sh');
  socket.write('utdown"}\n');
  await tick();
  assert.deepEqual(got, [big, { t: 'collect', seq: 1 }, { t: 'collect', seq: 2 }, { t: 'shutdown' }]);
});

test('readLines: a multi-byte character split across chunks is decoded whole', async () => {
  const socket = new PassThrough();
  const got = [];
  readLines(socket, (m) => got.push(m));
  const bytes = Buffer.from(JSON.stringify({ name: 'café ✓' }) + '\n');
  const cut = bytes.indexOf(0xe2) + 1; // inside the three bytes of ✓
  socket.write(bytes.subarray(0, cut));
  socket.write(bytes.subarray(cut));
  await tick();
  assert.deepEqual(got, [{ name: 'café ✓' }]);
});

test('readLines: a malformed line ends the connection; nothing after it is delivered; send() to it is a no-op', async () => {
  const socket = new PassThrough();
  const got = [];
  readLines(socket, (m) => got.push(m));
  socket.write('{"t":"collect","seq":1}\n{not json}\n{"t":"collect","seq":2}\n');
  await tick();
  assert.deepEqual(got, [{ t: 'collect', seq: 1 }]);
  assert.equal(socket.destroyed, true);
  assert.doesNotThrow(() => send(socket, { t: 'shutdown' }));
});
