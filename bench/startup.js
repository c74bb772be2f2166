// Start-up cost of `node --import ./register -e 0` vs bare node, with hyperfine (Debian
// package) when present, else a simple timed loop; peak RSS from /usr/bin/time; stderr checked.
//   node bench/startup.js
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { ROOT } from '../test/helpers.js';
import { median, printTable, saveSection } from './harness.js';

const env = { ...process.env, MONITORING_PORT: '0' };
const cases = {
  bare: 'node -e 0',
  register: 'node --import ./register -e 0',
  'register, ESM entry': 'node --import ./register bench/fixtures/empty.mjs',
};

function hyperfine() {
  const json = '/tmp/startup-hyperfine.json';
  execFileSync('hyperfine', ['-N', '-w', '3', '-r', '20', '--export-json', json, ...Object.values(cases)], {
    cwd: ROOT,
    env,
    stdio: 'ignore',
  });
  const r = JSON.parse(readFileSync(json, 'utf8')).results;
  rmSync(json);
  return Object.fromEntries(Object.keys(cases).map((k, i) => [k, r[i].median * 1000]));
}

function loop() {
  const out = {};
  for (const [k, cmd] of Object.entries(cases)) {
    const [bin, ...args] = cmd.split(' ');
    const t = [];
    for (let i = 0; i < 15; i++) {
      const t0 = process.hrtime.bigint();
      spawnSync(bin === 'node' ? process.execPath : bin, args, { cwd: ROOT, env });
      t.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    out[k] = median(t);
  }
  return out;
}

function peakRssMb(cmd) {
  const r = spawnSync('/usr/bin/time', ['-f', '%M', ...cmd.split(' ').map((x) => (x === 'node' ? process.execPath : x))], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
  });
  return Number(r.stderr.trim().split('\n').pop()) / 1024;
}

const tool = existsSync('/usr/bin/hyperfine') ? 'hyperfine, 20 runs after 3 warm-ups' : 'a timed loop of 15 runs';
const wall = tool.startsWith('hyperfine') ? hyperfine() : loop();
const rss = Object.fromEntries(Object.entries(cases).map(([k, c]) => [k, existsSync('/usr/bin/time') ? peakRssMb(c) : NaN]));
const stderr = spawnSync(process.execPath, ['--import', './register', '-e', '0'], { cwd: ROOT, env, encoding: 'utf8' }).stderr;
const rows = Object.keys(cases).map((k) => [
  k,
  `${wall[k].toFixed(1)} ms`,
  k === 'bare' ? '' : `+${(wall[k] - wall.bare).toFixed(1)} ms`,
  `${rss[k].toFixed(1)} MB`,
  k === 'bare' ? '' : `+${(rss[k] - rss.bare).toFixed(1)} MB`,
]);
printTable('start-up (median wall, peak RSS)', rows);
console.log(`  stderr of --import ./register -e 0: ${stderr === '' ? '(empty)' : JSON.stringify(stderr)}`);
saveSection('startup', { tool, wallMs: wall, peakRssMb: rss, stderrEmpty: stderr === '' });
