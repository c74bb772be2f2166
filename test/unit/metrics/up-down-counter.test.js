// The facade's UpDownCounter (src/metrics/kinds/up-down-counter.ts) on an isolated collector:
// the three methods, what each kind accepts, and bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricsCollector } from '../../../dist/index.js';
import { KINDS } from '../../../dist/metrics/kinds/registry.js';

const warnings = [];
process.on('warning', (w) => warnings.push(w.message));
const tick = () => new Promise((resolve) => setImmediate(resolve));

test('addUpDownCounter, upDownCounter().add and declareUpDownCounter: one series per attribute set, going both ways', async () => {
  const m = new MetricsCollector({ isolated: true });
  m.declareUpDownCounter('queue.items', { unit: '{item}', description: 'Items in the queue.' });
  m.addUpDownCounter('queue.items', 5, { queue: 'a' });
  m.addUpDownCounter('queue.items', -7, { queue: 'a' });
  const b = m.upDownCounter('queue.items', { queue: 'b' });
  b.add(2.5);
  b.add(-0.5);
  m.addUpDownCounter('queue.items', 1, { queue: 'b' });
  const s = m.getMetricsSummary();
  assert.deepEqual(
    s.series.map((x) => [x.type, x.unit, x.attributes.queue, x.value]),
    [
      ['updowncounter', '{item}', 'a', -2],
      ['updowncounter', '{item}', 'b', 3],
    ],
  );
  assert.equal(s.gauges['queue.items'], 3);
  const text = await m.exportPrometheus();
  assert.match(
    text,
    /^# HELP queue_items Items in the queue\.\n# TYPE queue_items gauge\nqueue_items\{queue="a",[^}]*\} -2\nqueue_items\{queue="b",[^}]*\} 3\n/m,
  );
});

test('what each kind accepts: only a counter refuses a negative; none takes NaN, Infinity or a string', () => {
  const accepts = (v) => Object.fromEntries(Object.entries(KINDS).map(([name, k]) => [name, k.accepts(v)]));
  assert.deepEqual(accepts(-1), { counter: false, updowncounter: true, gauge: true, histogram: true });
  for (const bad of [NaN, Infinity, -Infinity, '3', undefined, null]) {
    assert.deepEqual(accepts(bad), { counter: false, updowncounter: false, gauge: false, histogram: false }, String(bad));
  }
  assert.match(KINDS.counter.rejection(-1), /a counter only goes up; use an up-down counter/);
  assert.deepEqual(
    Object.values(KINDS).map((k) => k.instrumentType),
    ['COUNTER', 'UP_DOWN_COUNTER', 'GAUGE', 'HISTOGRAM'],
  );
});

const BAD = [
  ['NaN delta', (m) => m.addUpDownCounter('udc.bad', NaN), /up-down counter "udc.bad" got value NaN: expected a finite number/],
  ['Infinity through a handle', (m) => m.upDownCounter('udc.bound').add(Infinity), /up-down counter "udc.bound" got value Infinity/],
  [
    'a counter used as an up-down counter',
    (m) => (m.incrementCounter('udc.kind'), m.addUpDownCounter('udc.kind', 1)),
    /metric "udc.kind" is a counter; it cannot also be used as an up-down counter/,
  ],
  [
    'options that are not an object',
    (m) => m.declareUpDownCounter('udc.opts', 5),
    /declareUpDownCounter "udc.opts": options must be an object, got 5/,
  ],
];

for (const [what, call, message] of BAD) {
  test(`bad input (${what}): one warning, nothing recorded; a TypeError under MONITORING_STRICT=1`, async () => {
    const m = new MetricsCollector({ isolated: true });
    warnings.length = 0;
    call(m);
    call(m);
    await tick();
    assert.equal(warnings.filter((w) => message.test(w)).length, 1, JSON.stringify(warnings));
    // A handle makes its series at 0; the counter of the two-kinds case counted its own calls.
    for (const x of m.getMetricsSummary().series)
      assert.ok(x.value === 0 || (x.name === 'udc.kind' && x.type === 'counter'), `nothing recorded for ${x.name}`);
    process.env.MONITORING_STRICT = '1';
    try {
      assert.throws(
        () => call(new MetricsCollector({ isolated: true })),
        (e) => e instanceof TypeError && message.test(e.message),
      );
    } finally {
      delete process.env.MONITORING_STRICT;
    }
  });
}
