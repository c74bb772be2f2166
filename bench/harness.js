// Tiny benchmark harness: each case is timed in the same process, `repeats` times
// interleaved, and reported as the median ns/op with its spread (min..max).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

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
    out[n] = { median: median(s), min: s[0], max: s[s.length - 1] };
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

// BENCH_RESULTS writes elsewhere: a short trial run must not replace a full run's figures.
export const RESULTS = process.env.BENCH_RESULTS
  ? pathToFileURL(path.resolve(process.env.BENCH_RESULTS))
  : new URL('./results.json', import.meta.url);

/** Median of a sample (the mean of the two middle values when the count is even). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The CPU model as the kernel names it (what `lscpu` shows), else what Node reports. */
function cpuModel() {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.slice(line.indexOf(':') + 1).trim();
  } catch {}
  return os.cpus()[0]?.model ?? 'unknown';
}

// The 1-minute load average when the script started and when it saved: on a shared machine,
// how busy the cores were is part of what a figure means.
const LOAD_AT_START = os.loadavg()[0];

/** Where and when a section was measured; stored with each section, never shared. */
export function runStamp() {
  const load = [LOAD_AT_START, os.loadavg()[0]].map((x) => Math.round(x * 100) / 100);
  return { date: new Date().toISOString(), cpu: cpuModel(), cores: os.cpus().length, node: process.version, load };
}

/**
 * Write one section of bench/results.json with its own run stamp. Only measurements are
 * stored (medians and spreads); bench/goals.js derives every ratio from the medians.
 */
export function saveSection(section, data) {
  const all = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')) : {};
  delete all.machine; // one stamp for every section said nothing about the sections not re-run
  all[section] = { run: runStamp(), ...data };
  writeFileSync(RESULTS, JSON.stringify(all, null, 2) + '\n');
}
