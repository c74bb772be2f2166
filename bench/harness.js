// Tiny benchmark harness: each case is timed in the same process, `repeats` times
// interleaved, and reported as the median ns/op with its spread (min..max).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';

export function measure(fn, iterations) {
  const t0 = process.hrtime.bigint();
  fn(iterations);
  return Number(process.hrtime.bigint() - t0) / iterations;
}

/** cases: { name: (n) => void }; runs warm-up then `repeats` interleaved rounds. */
export function runCases(cases, { iterations = 1_000_000, repeats = 5 } = {}) {
  const names = Object.keys(cases);
  for (const n of names) cases[n](Math.min(iterations, 100_000)); // warm-up / JIT
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < repeats; r++) for (const n of names) samples[n].push(measure(cases[n], iterations));
  const out = {};
  for (const n of names) {
    const s = samples[n].sort((a, b) => a - b);
    out[n] = { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
  }
  return out;
}

export function fmt(ns) {
  return ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(1)} ns`;
}

export function printTable(title, rows) {
  console.log(`\n${title}`);
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const r of rows) console.log(`  ${r[0].padEnd(w)}  ${r.slice(1).join('  ')}`);
}

export const RESULTS = new URL('./results.json', import.meta.url);

/** Merge one section into bench/results.json. */
export function saveSection(section, data) {
  const all = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')) : {};
  all.machine = { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, date: new Date().toISOString() };
  all[section] = data;
  writeFileSync(RESULTS, JSON.stringify(all, null, 2) + '\n');
}
