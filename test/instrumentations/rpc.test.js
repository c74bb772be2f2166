// graphql, gRPC, socket.io, net, dns, generic-pool, dataloader and lru-memoizer with in-process
// servers, the AWS SDK (SQS) and OpenAI against a local HTTP endpoint, from a CommonJS and an ES
// module app under --import ./register: their spans, children of the incoming HTTP request's
// span, as they arrive at an OTLP receiver.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../helpers.js';
import { startOtlpReceiver } from '../otlp.js';
import { KIND, assertDescends, ofScope, serverSpan, startInstrumentedApp } from './harness.js';

let receiver;
before(async () => {
  receiver = await startOtlpReceiver();
});
after(() => receiver?.close());

const names = (spans) => spans.map((s) => `${s.name}/${s.kind}`).join(', ');

/** scenario → [expected result, scope, check(spans of the scope, all spans) → the span to link] */
const CASES = {
  graphql: [
    'hello graphql',
    'graphql',
    (own) => {
      const op = own.find((s) => s.name === 'query Greeting');
      const resolve = own.find((s) => s.name === 'graphql.resolve hello');
      assert.ok(op && resolve && own.some((s) => s.name === 'graphql.parse') && own.some((s) => s.name === 'graphql.validate'), names(own));
      assert.equal(op.attributes['graphql.operation.type'], 'query');
      assert.equal(op.attributes['graphql.operation.name'], 'Greeting');
      assert.equal(op.attributes['graphql.source'], 'query Greeting { hello(name: "*") }', 'literals are masked');
      assert.equal(resolve.attributes['graphql.field.name'], 'hello');
      assert.equal(resolve.parentSpanId, op.spanId);
      return op;
    },
  ],
  grpc: [
    'hello grpc',
    'grpc',
    (own) => {
      const client = own.find((s) => s.kind === KIND.CLIENT);
      const server = own.find((s) => s.kind === KIND.SERVER);
      assert.ok(client && server, names(own));
      for (const s of [client, server]) {
        assert.equal(s.name, 'grpc.test.Greeter/SayHello');
        assert.equal(s.attributes['rpc.system'], 'grpc');
        assert.equal(s.attributes['rpc.service'], 'test.Greeter');
        assert.equal(s.attributes['rpc.method'], 'SayHello');
        assert.equal(s.attributes['rpc.grpc.status_code'], 0);
      }
      assert.equal(server.parentSpanId, client.spanId, 'the server span continues the client call');
      return client;
    },
  ],
  'socket.io': [
    ['extra', 2],
    'socket.io',
    (own) => {
      const send = own.find((s) => s.kind === KIND.PRODUCER);
      assert.ok(send, names(own));
      assert.equal(send.name, 'send /');
      assert.equal(send.attributes['messaging.system'], 'socket.io');
      assert.equal(send.attributes['messaging.socket.io.event_name'], 'news');
      return send;
    },
  ],
  net: [
    null,
    'net',
    (own, all, result) => {
      const c = own.find((s) => s.name === 'tcp.connect' && s.attributes['server.port'] === result);
      assert.ok(c, names(own));
      assert.equal(c.attributes['network.transport'], 'tcp');
      assert.equal(c.attributes['server.address'], '127.0.0.1');
      return c;
    },
  ],
  dns: [
    '127.0.0.1',
    'dns',
    (own) => {
      const lookup = own.find((s) => s.name === 'dns.lookup');
      assert.ok(lookup && lookup.kind === KIND.CLIENT, names(own));
      assert.equal(lookup.attributes['peer.ipv4'], '127.0.0.1');
      return lookup;
    },
  ],
  'generic-pool': [
    'acquired',
    'generic-pool',
    (own) => {
      const acquire = own.find((s) => s.name === 'generic-pool.acquire');
      assert.ok(acquire, names(own));
      return acquire;
    },
  ],
  dataloader: [
    42,
    'dataloader',
    (own) => {
      const load = own.find((s) => s.name === 'dataloader.load');
      const batch = own.find((s) => s.name === 'dataloader.batch');
      assert.ok(load && batch, names(own));
      assert.equal(batch.parentSpanId, load.spanId);
      return load;
    },
  ],
  // No spans of its own: it keeps each caller's context (without it the second caller's callback runs in the first's).
  'lru-memoizer': ['own context', null, () => undefined],
  'aws-sdk': [
    ['http://127.0.0.1/000000000000/orders'],
    'aws-sdk',
    (own) => {
      const call = own.find((s) => s.name === 'SQS.ListQueues');
      assert.ok(call && call.kind === KIND.CLIENT, names(own));
      assert.equal(call.attributes['rpc.system'], 'aws-api');
      assert.equal(call.attributes['rpc.service'], 'SQS');
      assert.equal(call.attributes['rpc.method'], 'ListQueues');
      assert.equal(call.attributes['cloud.region'], 'us-east-1');
      assert.equal(call.attributes['http.response.status_code'], 200);
      return call;
    },
  ],
  openai: [
    'hi',
    'openai',
    (own) => {
      const chat = own.find((s) => s.name === 'chat gpt-4o-mini');
      assert.ok(chat && chat.kind === KIND.CLIENT, names(own));
      assert.equal(chat.attributes['gen_ai.system'], 'openai');
      assert.equal(chat.attributes['gen_ai.operation.name'], 'chat');
      assert.equal(chat.attributes['gen_ai.request.model'], 'gpt-4o-mini');
      assert.equal(chat.attributes['gen_ai.usage.input_tokens'], 5);
      assert.equal(chat.attributes['gen_ai.usage.output_tokens'], 1);
      return chat;
    },
  ],
};

for (const file of ['rpc.cjs', 'rpc.mjs']) {
  test(`${file}: ${Object.keys(CASES).join(', ')}`, async (t) => {
    const app = await startInstrumentedApp(receiver, `test/instrumentations/fixtures/${file}`);
    t.after(() => app.stop());
    for (const [name, [expected, scope, check]] of Object.entries(CASES)) {
      await t.test(name, async () => {
        const { traceId, result } = await app.run(name);
        if (expected !== null) assert.deepEqual(result, expected);
        if (!scope) return;
        const ready = (s) => {
          try {
            return s.some((x) => x.kind === KIND.SERVER && x.scope.endsWith('-http')) && check(ofScope(s, scope), s, result);
          } catch {
            return false;
          }
        };
        const spans = await app.trace(traceId, ready);
        assertDescends(spans, check(ofScope(spans, scope), spans, result), serverSpan(spans));
      });
    }
    await t.test('socket.io: an event the server receives is a CONSUMER span', async () => {
      const receive = await waitFor(() =>
        ofScope(app.spans(), 'socket.io').find(
          (s) => s.kind === KIND.CONSUMER && s.attributes['messaging.socket.io.event_name'] === 'ping',
        ),
      );
      assert.equal(receive.name, 'receive /');
      assert.equal(receive.attributes['messaging.system'], 'socket.io');
    });
    // The AWS SDK warns that its releases after January 2027 need Node 22.
    const stderr = app.app.out.stderr
      .split('\n')
      .filter(
        (l) => l && !/NodeVersionSupportWarning|AWS SDK|node >=22|^(versions|will|To continue|and security|More information|\(Use)/.test(l),
      );
    assert.deepEqual(stderr, [], 'nothing else on stderr');
  });
}
