// docs/performance.md shows what bench/results.json holds: regenerating the page from the
// results yields the same text; each section carries its own run stamp; npm run bench fails,
// naming the script, when one fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ROOT } from '../../helpers.js';
import {
  CHART,
  DOC,
  README,
  README_BEGIN,
  README_END,
  RESULTS,
  render,
  renderChart,
  renderReadme,
  generatedPart,
} from '../../../bench/readme.js';
import { evaluate } from '../../../bench/goals.js';

const results = JSON.parse(readFileSync(RESULTS, 'utf8'));

test('docs/performance.md agrees with bench/results.json (npm run bench:readme changes nothing)', () => {
  const doc = readFileSync(DOC, 'utf8');
  const part = generatedPart(doc);
  assert.ok(part, 'docs/performance.md has the generated part between its markers');
  assert.equal(part, render(results), 'docs/performance.md is stale: run npm run bench:readme');
});

test('README.md shows the scale figures of bench/results.json (npm run bench:readme changes nothing)', () => {
  const readme = readFileSync(README, 'utf8');
  const a = readme.indexOf(README_BEGIN);
  const b = readme.indexOf(README_END, a);
  assert.ok(a >= 0 && b > a, 'README.md has the generated part between its markers');
  const part = readme.slice(a, b + README_END.length);
  assert.equal(part, renderReadme(results), 'README.md is stale: run npm run bench:readme');
  assert.match(part, /!\[[^\]]+\]\(docs\/scale\.svg\)/, 'README shows the chart');
  assert.match(part, /OTLP http\/protobuf export of 100k/, 'README reports the OTLP push at scale');
  assert.match(part, /OTEL_CONFIG_FILE/, 'README reports the configuration file at start-up');
});

test('docs/scale.svg is the chart of the scale section (ours and prom-client, counters and histograms, log scales)', () => {
  const svg = readFileSync(CHART, 'utf8');
  assert.equal(svg, renderChart(results), 'docs/scale.svg is stale: run npm run bench:readme');
  for (const label of ['ours, counters', 'prom-client, counters', 'ours, histograms', 'prom-client, histograms'])
    assert.ok(svg.includes(label), label);
  assert.equal((svg.match(/<polyline /g) ?? []).length, 4);
  for (const size of results.scale.sizes)
    assert.ok(svg.includes(`${results.scale.counter[size].ours.ms.median.toFixed(1).replace(/\.0$/, '')} ms</title>`), `ours at ${size}`);
  assert.match(readFileSync(DOC, 'utf8'), /!\[[^\]]+\]\(scale\.svg\)/, 'docs/performance.md shows the chart');
});

test('every section of bench/results.json has its own date, CPU model and Node version', () => {
  const sections = evaluate(results);
  assert.deepEqual(
    sections.map((s) => s.key),
    ['metrics', 'tracker', 'logger', 'scrape', 'serialize', 'http', 'startup', 'coverage', 'cluster', 'scale'],
  );
  assert.equal(results.machine, undefined, 'no shared stamp for all sections');
  for (const { key, run } of sections) {
    assert.ok(!Number.isNaN(Date.parse(run.date)), `${key}: date ${run.date}`);
    assert.match(run.node, /^v\d+\.\d+\.\d+$/, `${key}: node`);
    assert.ok(typeof run.cpu === 'string' && run.cpu.length > 0 && run.cores > 0, `${key}: cpu`);
  }
});

test('a missed goal is shown as MISSED, in its row and in the headline', () => {
  const missedCluster = structuredClone(results);
  const idle = missedCluster.cluster['host metrics off, idle'];
  idle.clusterMs.median = idle.singleProcessMs.median * 2.5;
  const page = render(missedCluster);
  assert.match(page, /\| 2\.50× \| ≤ 2× \| MISSED \|/);
  assert.match(page, /goals met; MISSED: .*Cluster scrape, scrape, 4 workers × 1k series vs 1 process × 4k, warm \(2\.50×, goal ≤ 2×\)/);
  idle.clusterMs.median = idle.singleProcessMs.median * 1.5;
  assert.match(render(missedCluster), /\| 1\.50× \| ≤ 2× \| met \|/);
});

test('npm run bench exits non-zero and names the script that failed', { timeout: 30000 }, () => {
  const before = readFileSync(DOC, 'utf8');
  const r = spawnSync(process.execPath, ['bench/run.js', 'no-such-bench.js'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /bench FAILED: bench\/no-such-bench\.js \(exit code 1\)/);
  assert.doesNotMatch(r.stdout, /goals met/, 'no summary after a failure');
  assert.equal(readFileSync(DOC, 'utf8'), before, 'docs/performance.md untouched');
});
