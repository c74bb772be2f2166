// Scrape passes (src/metrics/scrape.ts): clients of one format share a pass, the writer stays at
// most one piece ahead of its fastest client (a stalled one stalls no other), a client arriving after the first piece went
// waits for the next pass, a pass whose clients all left stops; and the writers
// (src/metrics/exposition.ts, src/metrics/summary.ts) give the one-piece text whatever the slicing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openScrape, scrapeStats, writeAll } from '../../../dist/metrics/scrape.js';
import { ExpositionWriter, serializeMetrics } from '../../../dist/metrics/exposition.js';
import { SummaryWriter, summarize } from '../../../dist/metrics/summary.js';
import { StoreMetricProducer } from '../../../dist/metrics/producer.js';
import { MetricsCollector } from '../../../dist/index.js';
import { moveSeriesClock } from '../../../dist/metrics/expiry.js';

/** A writer of `n` pieces "0", "1", ...; counts its steps. */
function pieces(n) {
  const w = {
    steps: 0,
    step() {
      w.steps++;
      return w.steps <= n ? String(w.steps - 1) : null;
    },
  };
  return w;
}
const readAll = async (r) => {
  let out = '';
  for (let c = await r.next(); c !== null; c = await r.next()) out += c.toString();
  return out;
};
const turns = async (n) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

test('clients that arrive together share one pass and each read every piece', async () => {
  const before = scrapeStats().passes;
  const w = pieces(5);
  const [a, b] = await Promise.all([openScrape('t1', async () => w), openScrape('t1', async () => pieces(5))]);
  assert.deepEqual(await Promise.all([readAll(a), readAll(b)]), ['01234', '01234']);
  assert.equal(scrapeStats().passes - before, 1);
});

test('the writer stays one piece ahead of a client that does not read', async () => {
  const w = pieces(100);
  const r = await openScrape('t2', async () => w);
  assert.equal((await r.next()).toString(), '0');
  await turns(20);
  assert.ok(w.steps <= 2, `${w.steps} steps written for a client that read one piece`);
  assert.equal((await r.next()).toString(), '1');
  await turns(20);
  assert.ok(w.steps <= 3, `${w.steps} steps`);
  r.cancel();
});

test('a client that stops reading does not stall another on the same pass; it gets its pieces later', async () => {
  const w = pieces(50);
  const [stalled, reading] = await Promise.all([openScrape('t6', async () => w), openScrape('t6', async () => pieces(50))]);
  const all = Array.from({ length: 50 }, (_, i) => String(i)).join('');
  assert.equal(await readAll(reading), all);
  assert.equal(await readAll(stalled), all);
});

test('a client arriving after the first piece went waits for that pass, then gets a whole text of its own', async () => {
  const before = scrapeStats().passes;
  const first = await openScrape('t3', async () => pieces(4));
  assert.equal((await first.next()).toString(), '0'); // every client had piece 0: it is let go
  let late;
  const opening = openScrape('t3', async () => pieces(3)).then((r) => (late = r));
  await turns(5);
  assert.equal(late, undefined, 'the late client waits while the first pass runs');
  assert.equal(await readAll(first), '123');
  await opening;
  assert.equal(await readAll(late), '012');
  assert.equal(scrapeStats().passes - before, 2);
});

test('a pass whose clients all left stops writing', async () => {
  const before = { ...scrapeStats() };
  const w = pieces(1000);
  const r = await openScrape('t4', async () => w);
  await r.next();
  r.cancel();
  await turns(10);
  const steps = w.steps;
  await turns(10);
  assert.equal(w.steps, steps);
  assert.ok(steps < 5);
  assert.equal(scrapeStats().abandoned - before.abandoned, 1);
  assert.equal(scrapeStats().finished - before.finished, 0);
});

test('a failing collection rejects every client before any text; the next scrape starts afresh', async () => {
  await assert.rejects(
    openScrape('t5', async () => Promise.reject(new Error('no data'))),
    /no data/,
  );
  assert.equal(await readAll(await openScrape('t5', async () => pieces(2))), '01');
});

test('sliced writers give the one-piece text: Prometheus, OpenMetrics and JSON, every slice boundary', () => {
  const m = new MetricsCollector({ isolated: true });
  m.declareCounter('req', { unit: '{request}', description: 'Requests "quoted"\nline', cardinalityLimit: 5000 });
  m.declareHistogram('lat', { unit: 's', cardinalityLimit: 5000 });
  for (let i = 0; i < 300; i++) m.incrementCounter('req', i + 0.5, { id: String(i), path: 'a"b\\c\n' });
  for (let i = 0; i < 60; i++) m.recordHistogram('lat', i / 100, { id: String(i), 'bad-key': true });
  m.recordGauge('temp', 3, { list: [1, 2] });
  m.declareGauge('never.set');
  m.incrementCounter('plain');
  const rm = new StoreMetricProducer(m.store).collectSync().resourceMetrics;
  const input = { rm: { resource: rm.resource, scopeMetrics: [] }, store: m.store };
  for (const openMetrics of [false, true]) {
    const whole = serializeMetrics(rm, { openMetrics });
    assert.equal(new ExpositionWriter(input, { openMetrics }).all(), whole);
    // A deadline already past: every step stops at its first clock check.
    const w = new ExpositionWriter(input, { openMetrics });
    let sliced = '';
    let steps = 0;
    for (let s = w.step(0); s !== null; s = w.step(0)) {
      sliced += s;
      steps++;
    }
    assert.equal(sliced, whole);
    assert.ok(steps > 10, `${steps} steps`);
  }
  const json = JSON.stringify(summarize(rm));
  const sw = new SummaryWriter(input);
  let sliced = '';
  for (let s = sw.step(0); s !== null; s = sw.step(0)) sliced += s.toString();
  assert.equal(sliced, json);
});

test('expired series not yet reclaimed are left out, as a collection leaves them out', () => {
  const m = new MetricsCollector({ isolated: true });
  m.declareCounter('idle', { ttlMs: 1000 });
  m.declareCounter('busy', { ttlMs: 1000 });
  m.incrementCounter('idle', 1, { a: '1' });
  m.incrementCounter('busy', 1, { a: '1' });
  m.store.sweep(); // a first collection: the series' clock starts
  moveSeriesClock(2000);
  try {
    m.incrementCounter('busy', 1, { a: '2' });
    const input = { rm: { resource: { attributes: {} }, scopeMetrics: [] }, store: m.store };
    const text = new ExpositionWriter(input).all();
    const json = new SummaryWriter({ ...input }).all();
    const rm = new StoreMetricProducer(m.store).collectSync().resourceMetrics;
    assert.equal(text, serializeMetrics(rm));
    assert.equal(json, JSON.stringify(summarize(rm)));
    assert.doesNotMatch(text, /idle|a="1"/);
    assert.match(text, /^busy_total\{a="2",[^}]*\} 1$/m);
  } finally {
    moveSeriesClock(-2000);
  }
});

test('writeAll: the one-piece text, written in slices with the loop turning between them', async () => {
  const m = new MetricsCollector({ isolated: true });
  m.declareHistogram('lat', { unit: 's', cardinalityLimit: 5000 });
  for (let i = 0; i < 3000; i++) m.recordHistogram('lat', i / 1000, { id: String(i), path: 'é"\\' });
  const rm = new StoreMetricProducer(m.store).collectSync().resourceMetrics;
  let turns = 0;
  const ticking = setInterval(() => turns++, 0);
  const text = await writeAll(new ExpositionWriter({ rm: { resource: rm.resource, scopeMetrics: [] }, store: m.store }));
  clearInterval(ticking);
  assert.equal(text, serializeMetrics(rm));
  assert.ok(turns > 0, 'timers ran while it was written');
});
