// A real Prometheus server (Debian package) for tests: temporary storage, 127.0.0.1 only,
// 1 s scrape interval, killed by stop().
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, waitFor } from './helpers.js';

/**
 * @param {{ jobs: { name: string, targets: string[], params?: object, metricsPath?: string }[] }} opts
 */
export async function startPrometheus({ jobs, exemplars = false, scrapeIntervalS = 1 }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'prom-'));
  const port = await freePort();
  const cfg = [
    'global:',
    `  scrape_interval: ${scrapeIntervalS}s`,
    `  scrape_timeout: ${Math.round(Math.max(scrapeIntervalS - 0.2, 0.5) * 1000)}ms`,
    'scrape_configs:',
    ...jobs.flatMap((j) => [
      `  - job_name: ${JSON.stringify(j.name)}`,
      `    metrics_path: ${JSON.stringify(j.metricsPath ?? '/metrics')}`,
      ...(j.params ? ['    params:', ...Object.entries(j.params).map(([k, v]) => `      ${k}: ${JSON.stringify(v)}`)] : []),
      '    static_configs:',
      `      - targets: ${JSON.stringify(j.targets)}`,
    ]),
  ].join('\n');
  writeFileSync(path.join(dir, 'prometheus.yml'), cfg + '\n');
  const args = [
    `--config.file=${path.join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${path.join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ];
  if (exemplars) args.push('--enable-feature=exemplar-storage');
  const child = spawn('prometheus', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const base = `http://127.0.0.1:${port}`;
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`prometheus exited: ${stderr}`);
    return (await fetch(`${base}/-/ready`)).ok;
  }, 20000);
  return {
    base,
    get stderr() {
      return stderr;
    },
    /** Instant query; returns the `data.result` array. */
    async query(promql) {
      const r = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const j = await r.json();
      if (j.status !== 'success') throw new Error(`query ${promql} failed: ${JSON.stringify(j)}`);
      return j.data.result;
    },
    async api(pathAndQuery) {
      const r = await fetch(`${base}${pathAndQuery}`);
      return r.json();
    },
    /** Wait until every target has been scraped successfully at least once. */
    async waitForTargetsUp(timeoutMs = 20000) {
      return waitFor(
        async () => {
          const j = await (await fetch(`${base}/api/v1/targets`)).json();
          const t = j.data.activeTargets;
          return t.length > 0 && t.every((x) => x.health === 'up') ? t : false;
        },
        timeoutMs,
        250,
      );
    },
    async stop() {
      child.kill('SIGKILL');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
