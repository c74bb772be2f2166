// The `ttlMs` option of declare*() on the facade (against dist): bad values warn once and
// leave the metric declared without a TTL (a TypeError under MONITORING_STRICT=1); good ones
// expire that metric's series only; exportPrometheus() and getMetricsSummary() sweep too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricsCollector } from '../../dist/index.js';
import { moveSeriesClock } from '../../dist/metrics/expiry.js';
import { getState } from '../../dist/state.js';

const warnings = [];
process.on('warning', (w) => warnings.push(w.message));
const tick = () => new Promise((resolve) => setImmediate(resolve));

for (const bad of [-1, NaN, Infinity, '60000', null, {}]) {
  test(`declareCounter ttlMs ${String(bad)}: one warning, the metric declared without a TTL; a TypeError under MONITORING_STRICT=1`, async () => {
    const m = new MetricsCollector({ isolated: true });
    warnings.length = 0;
    m.declareCounter('jobs', { unit: '{job}', ttlMs: bad });
    m.declareCounter('jobs2', { unit: '{job}', ttlMs: bad });
    await tick();
    const message =
      /declareCounter "jobs2?": ttlMs must be a finite number of milliseconds >= 0 \(0: never expire\), got .*; the default applies/;
    assert.equal(warnings.filter((w) => message.test(w)).length, 2, JSON.stringify(warnings));
    const inst = m.store.get('jobs');
    assert.equal(inst.unit, '{job}', 'still declared, with its unit');
    assert.equal(inst.ttlMs, 0, 'with the default TTL (none here)');
    process.env.MONITORING_STRICT = '1';
    try {
      assert.throws(
        () => new MetricsCollector({ isolated: true }).declareHistogram('h', { ttlMs: bad }),
        (e) => e instanceof TypeError && /declareHistogram "h": ttlMs must be/.test(e.message),
      );
    } finally {
      delete process.env.MONITORING_STRICT;
    }
  });
}

test('each declare* takes ttlMs; 0 keeps series even under MONITORING_SERIES_TTL_MS; the summary and exportPrometheus sweep', async () => {
  const before = process.env.MONITORING_SERIES_TTL_MS;
  process.env.MONITORING_SERIES_TTL_MS = '1000';
  // The configuration is resolved once per process (src/config/): resolved again with the variable.
  getState().config = undefined;
  try {
    const m = new MetricsCollector({ isolated: true });
    m.declareCounter('c', { ttlMs: 500 });
    m.declareUpDownCounter('u', { ttlMs: 500 });
    m.declareGauge('g', { ttlMs: 500 });
    m.declareHistogram('h', { ttlMs: 500 });
    m.declareCounter('forever', { ttlMs: 0 });
    m.incrementCounter('c', 1, { a: '1' });
    m.addUpDownCounter('u', 1, { a: '1' });
    m.recordGauge('g', 1, { a: '1' });
    m.recordHistogram('h', 1, { a: '1' });
    m.incrementCounter('forever', 1, { a: '1' });
    m.incrementCounter('env', 1, { a: '1' });
    assert.equal(m.getMetricsSummary().series.length, 6);
    moveSeriesClock(2000);
    try {
      assert.deepEqual(
        m.getMetricsSummary().series.map((s) => s.name),
        ['forever'],
      );
      const text = await m.exportPrometheus();
      assert.match(text, /^forever_total\{a="1",[^}]*\} 1$/m);
      assert.doesNotMatch(text, /^(c_total|u|g|h_count|env_total)\{/m);
    } finally {
      moveSeriesClock(-2000);
    }
  } finally {
    if (before === undefined) delete process.env.MONITORING_SERIES_TTL_MS;
    else process.env.MONITORING_SERIES_TTL_MS = before;
    getState().config = undefined;
  }
});
