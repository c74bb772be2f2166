// Every figure of bench/results.json against its goal, per section, with the section's own run
// stamp. The one place ratios are computed: always the ratio of the two medians, from the
// medians the scripts saved. bench/summary.js prints these rows; bench/readme.js writes them to
// docs/performance.md.

const ns = (x) => (x === undefined ? 'n/a' : x >= 1000 ? `${(x / 1000).toFixed(2)} µs` : `${x.toFixed(1)} ns`);
const ms = (x) => `${x.toFixed(1)} ms`;
const int = (x) => Math.round(x).toLocaleString('en-US');
const signed = (x, digits) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`;

/**
 * A row: `figure`, `ours`, `anchor`, `ratio` (a number, or undefined), `goal` (text) and `met`
 * (true / false, undefined for a row shown without a goal).
 */
function row(figure, ours, anchor, ratio, goal, met) {
  return { figure, ours, anchor, ratio, goal: goal ?? '', met };
}
const atMost = (limit) => (r) => r <= limit;
const atLeast = (limit) => (r) => r >= limit;

function metrics(s) {
  const m = s.nsPerOp;
  const med = (k) => m[k]?.median;
  const pair = (figure, a, b, goal, ok, anchorName = b.split(': ').pop()) => {
    const r = med(a) / med(b);
    return row(figure, ns(med(a)), `${ns(med(b))} (${anchorName})`, r, goal, ok(r));
  };
  return {
    title: 'Metrics hot path',
    command: 'node bench/metrics.js',
    method: `ns per call, median of ${s.repeats ?? 5} × ${int(s.iterations ?? 1e6)} calls, every case in one process, interleaved`,
    rows: [
      pair('`incrementCounter(name)`', 'counter, no attrs: facade', 'counter, no attrs: prom-client', '≤ 1× prom-client', atMost(1)),
      pair('`recordGauge(name, v)`', 'gauge: facade', 'gauge: prom-client', '≤ 1× prom-client', atMost(1)),
      pair(
        '`incrementCounter`, 2 attributes (fresh literal)',
        'counter, 2 attrs: facade',
        'counter, 2 attrs: prom-client',
        '≤ 1× prom-client `inc(labels)`',
        atMost(1),
      ),
      pair(
        'bound handle `counter(name, attrs).add()`',
        'counter, bound handle: facade',
        'floor: obj.n++',
        '≤ 5× `obj.n++`',
        atMost(5),
        '`obj.n++`',
      ),
      pair(
        '`recordHistogram`, 2 attributes',
        'histogram, 2 attrs: facade',
        'histogram, 2 attrs: prom-client',
        '≤ 1× prom-client `observe`',
        atMost(1),
      ),
      pair(
        'histogram in a sampled span, exemplars on',
        'histogram in a sampled span, exemplars on',
        'histogram in a sampled span, exemplars off',
        '≤ 1.1× exemplars off',
        atMost(1.1),
        'exemplars off',
      ),
      pair(
        'counter, 2 attributes, vs the raw OTel SDK instrument',
        'counter, 2 attrs: facade',
        'counter, 2 attrs: raw OTel',
        '≤ 1.1× raw OTel',
        atMost(1.1),
        'raw OTel',
      ),
      pair(
        'histogram, 2 attributes, vs the raw OTel SDK instrument',
        'histogram, 2 attrs: facade',
        'histogram, 2 attrs: raw OTel',
        undefined,
        () => undefined,
        'raw OTel',
      ),
    ],
  };
}

function tracker(s) {
  const t = s.nsPerOp;
  const ours = t['tracked wrapper (trackPerformance(fn))'];
  const raw = t['raw startActiveSpan + histogram.record'];
  const block = t["tracked block (trackPerformance('work', fn))"];
  return {
    title: 'Tracked operations',
    command: 'node bench/tracker.js',
    method: `ns per call, median of ${s.repeats} × ${int(s.iterations)} calls, sampled spans, no exporter`,
    rows: [
      row(
        'tracked sync call (span + duration)',
        ns(ours),
        `${ns(raw)} (raw \`startActiveSpan\` + record)`,
        ours / raw,
        '≤ 1.15× raw',
        ours / raw <= 1.15,
      ),
      row("block form `trackPerformance('work', fn)`", ns(block), `${ns(raw)} (raw)`, block / raw),
    ],
  };
}

function logger(s) {
  const l = s.nsPerLine;
  const speed = (a, b) => a / b;
  return {
    title: 'Logger',
    command: 'node bench/logger.js',
    method: `ns per line, median of ${s.repeats} × ${int(s.lines)} lines inside an active span, JSON to /dev/null; Logs SDK queue ${int(s.maxQueueSize)} records`,
    rows: [
      row(
        'log line, correlated, exported (speed)',
        ns(l.ours),
        `${ns(l.pinoInstrumented)} (pino + instrumentation-pino)`,
        speed(l.pinoInstrumented, l.ours),
        'speed ≥ 0.9×',
        speed(l.pinoInstrumented, l.ours) >= 0.9,
      ),
      row(
        'log line vs winston (speed, same fields, no export)',
        ns(l.oursJson),
        `${ns(l.winston)} (winston)`,
        speed(l.winston, l.oursJson),
        'speed ≥ 3×',
        speed(l.winston, l.oursJson) >= 3,
      ),
      row(
        'log line dropped by sampling (cost)',
        ns(l.sampledOut),
        `${ns(l.ours)} (written line)`,
        l.sampledOut / l.ours,
        '≤ 0.1×',
        l.sampledOut / l.ours <= 0.1,
      ),
      row('log line, no export, vs raw pino (cost)', ns(l.oursJson), `${ns(l.pino)} (raw pino)`, l.oursJson / l.pino),
    ],
    notes: Object.entries(s.cases).map(([k, text]) => `\`${k}\`: ${text}`),
  };
}

function scrape(s) {
  const rows = [];
  for (const kind of ['counter', 'histogram']) {
    const k = s[kind];
    if (!k) continue;
    const r = k.ours.median / k.prom.median;
    rows.push(
      row(
        `scrape of 10k ${kind} series (${int(k.lines)} lines)`,
        ms(k.ours.median / 1e6),
        `${ms(k.prom.median / 1e6)} (prom-client)`,
        r,
        '≤ 1× prom-client',
        r <= 1,
      ),
    );
    rows.push(
      row(
        `same, OTel \`PrometheusSerializer\``,
        ms(k.otel.median / 1e6),
        `${ms(k.prom.median / 1e6)} (prom-client)`,
        k.otel.median / k.prom.median,
      ),
    );
  }
  return {
    title: 'Scrape',
    command: 'node bench/scrape.js',
    method: `collection + serialization of 100 instruments × 100 series, median of ${s.repeats} interleaved rounds after warm-ups`,
    rows,
  };
}

function http(s) {
  const r = s.liveRps / s.bareRps;
  return {
    title: '/health/live throughput',
    command: 'node bench/http.js',
    method: `requests/s with ${s.client} on 127.0.0.1, median of ${s.rounds ?? 5} interleaved rounds of ${s.seconds ?? 4} s; ${s.errors} errors or non-2xx`,
    rows: [
      row(
        '`/health/live` under register, req/s',
        int(s.liveRps),
        `${int(s.bareRps)} (bare node:http \`ok\`)`,
        r,
        '≥ 0.8×',
        atLeast(0.8)(r),
      ),
      row(
        '`/health/live`, `HealthEndpoints` without register',
        int(s.standaloneRps),
        `${int(s.bareRps)} (bare)`,
        s.standaloneRps / s.bareRps,
      ),
    ],
  };
}

const FILE = 'register, configuration file';
const VIA_ENV = 'register, via env';

function startup(s) {
  const w = s.wallMs;
  const m = s.peakRssMb;
  const esm = 'register, ESM entry';
  return {
    title: 'Start-up',
    command: 'node bench/startup.js',
    method: `median wall time (${s.tool}), peak RSS (/usr/bin/time)`,
    rows: [
      row(
        'start-up added, `node --import ./register -e 0`',
        `${signed(w.register - w.bare, 0)} ms`,
        `${w.bare.toFixed(0)} ms (bare \`node -e 0\`)`,
        undefined,
        '≤ +100 ms',
        w.register - w.bare <= 100,
      ),
      row(
        'peak RSS added, same',
        `${signed(m.register - m.bare, 1)} MB`,
        `${m.bare.toFixed(1)} MB (bare)`,
        undefined,
        '≤ +20 MB',
        m.register - m.bare <= 20,
      ),
      row('stderr at start-up', s.stderrEmpty ? 'empty' : 'NOT empty', '', undefined, 'nothing', s.stderrEmpty),
      row('start-up added, ESM entry point', `${signed(w[esm] - w.bare, 0)} ms, ${signed(m[esm] - m.bare, 1)} MB`, 'bare', undefined),
      ...(w[FILE] === undefined
        ? []
        : [
            row(
              'reading and validating an `OTEL_CONFIG_FILE` (bench/fixtures/config.yaml against the same settings as environment variables; 21 runs each, interleaved)',
              `${signed(w[FILE] - w[VIA_ENV], 1)} ms, ${signed(m[FILE] - m[VIA_ENV], 1)} MB${s.fileStderrEmpty ? '' : ', stderr NOT empty'}`,
              `${w[VIA_ENV].toFixed(0)} ms (the same settings from the environment)`,
              undefined,
              '≤ +5 ms',
              w[FILE] - w[VIA_ENV] <= 5,
            ),
          ]),
    ],
  };
}

function cluster(s) {
  const pair = (figure, c, goal) => {
    const r = c.clusterMs.median / c.singleProcessMs.median;
    const spread = (x) => x.roundMedians.map((v) => v.toFixed(1)).join(' / ');
    return row(
      figure,
      `${ms(c.clusterMs.median)} (rounds ${spread(c.clusterMs)})`,
      `${ms(c.singleProcessMs.median)} (rounds ${spread(c.singleProcessMs)})`,
      r,
      goal ? '≤ 2×' : undefined,
      goal ? r <= 2 : undefined,
    );
  };
  const idle = s['host metrics off, idle'];
  const rows = [pair('scrape, 4 workers × 1k series vs 1 process × 4k, warm', idle, true)];
  if (s['host metrics off, churn']) rows.push(pair('same, every series changed between scrapes', s['host metrics off, churn']));
  if (s['host metrics on, idle']) rows.push(pair('same, host metrics on', s['host metrics on, idle']));
  rows.push(pair('same, cold (the first scrapes of a fresh app)', idle.cold));
  // At scale: the time goal on the merge alone (idle, warm), the loop-block goal on every scrape.
  for (const [key, c] of Object.entries(s).filter(([k]) => k.startsWith('scale: '))) {
    const load = key.slice(key.lastIndexOf(', ') + 2);
    const label = `${WORKERS_AT_SCALE} workers × ${c.series / 1000}k series vs 1 process × ${(WORKERS_AT_SCALE * c.series) / 1000}k, ${load}`;
    rows.push(pair(`scrape, ${label}, warm`, c, load === 'idle'));
    if (c.clusterBlockMs) {
      const b = c.clusterBlockMs.median;
      rows.push(
        row(
          `serving process's longest loop block per scrape, ${label}`,
          `${ms(b)}${c.clusterGapMs ? ` (wall-clock gap ${ms(c.clusterGapMs.median)})` : ''}`,
          `${ms(c.singleBlockMs.median)} (1 process)`,
          undefined,
          '≤ 20 ms',
          b <= 20,
        ),
      );
    }
  }
  const big = Object.entries(s).find(([k]) => k.startsWith('scale: '))?.[1];
  const atScale = big
    ? `; at scale (4 × 25k series) ${big.rounds} rounds × ${big.scrapes} scrapes, and the serving process's longest loop block: the largest gap between two ticks of a 1 ms timer in it, bounded by the CPU time it used in that gap (the wall-clock gap beside it also counts time the OS gave the workers)`
    : '';
  return {
    title: 'Cluster scrape',
    command: 'node bench/cluster.js',
    method: `ms per \`/metrics?format=prometheus\` scrape, median of ${s.rounds} rounds × ${s.scrapes} scrapes pooled (per-round medians shown); the primary + 4 workers on the same cores${atScale}`,
    rows,
  };
}

function coverage(s) {
  const t = s.firstLineMs;
  const m = s.peakRssMb;
  const added = (x, v, c) => x[v][c] - x.bare[c];
  const APP = 'five-library app';
  const others = (x, c, unit, digits) =>
    `${signed(added(x, 'auto-instrumentations-node', c), digits)} ${unit} (auto-instrumentations-node), ${signed(added(x, 'EDOT', c), digits)} ${unit} (EDOT)`;
  const pair = (figure, x, c, unit, digits, goal, ok) => {
    const r = added(x, 'register', c) / added(x, 'auto-instrumentations-node', c);
    return row(figure, `${signed(added(x, 'register', c), digits)} ${unit}`, others(x, c, unit, digits), r, goal, ok?.(r));
  };
  // What each loaded library adds: the app's added time minus `-e 0`'s, per library. (Not for
  // RSS: the bare app's own libraries already raise its peak, the difference is noise.)
  const perLibrary = (v) => (added(t, v, APP) - added(t, v, '-e 0')) / s.libraries;
  const lib = (v) => `${signed(perLibrary(v), 0)} ms`;
  return {
    title: 'Instrumentation coverage at start-up',
    command: 'node bench/coverage.js',
    method: `time to the app's first line (median of ${s.rounds} interleaved rounds) and peak RSS (median of 3), added over bare \`node\`, in one run: \`-e 0\`, and an app loading express, pg, mysql2, amqplib and graphql; every variant without exporters and with the non-cloud resource detectors`,
    rows: [
      pair('`-e 0`, time added', t, '-e 0', 'ms', 0),
      pair('`-e 0`, peak RSS added', m, '-e 0', 'MB', 1),
      pair('five-library app, time added', t, APP, 'ms', 0, '≤ 0.5× auto-instrumentations-node', atMost(0.5)),
      pair('five-library app, peak RSS added', m, APP, 'MB', 1, '≤ 0.5× auto-instrumentations-node', atMost(0.5)),
      row(
        'per loaded library, time',
        lib('register'),
        `${lib('auto-instrumentations-node')} (auto-instrumentations-node), ${lib('EDOT')} (EDOT)`,
      ),
      row('stderr, the five-library app under register', s.stderrEmpty ? 'empty' : 'NOT empty', '', undefined, 'nothing', s.stderrEmpty),
    ],
  };
}

const WORKERS_AT_SCALE = 4;

/** Series counts as the tables say them: 1k, 10k, 100k. */
export const kSeries = (n) => `${n / 1000}k`;

function scale(s) {
  const rows = [];
  const sizes = s.sizes;
  for (const kind of ['counter', 'histogram']) {
    for (const n of sizes) {
      const r = s[kind][n];
      const ratio = r.ours.ms.median / r.prom.ms.median;
      rows.push(
        row(
          `scrape, ${kSeries(n)} ${kind} series (${(r.ours.bytes / 1e6).toFixed(1)} MB; prom-client ${(r.prom.bytes / 1e6).toFixed(1)} MB)`,
          ms(r.ours.ms.median),
          `${ms(r.prom.ms.median)} (prom-client)`,
          ratio,
          '≤ 0.5× prom-client',
          ratio <= 0.5,
        ),
      );
    }
    const worst = sizes.reduce((a, n) => (s[kind][n].ours.blockMs.median > s[kind][a].ours.blockMs.median ? n : a), sizes[0]);
    const b = s[kind][worst].ours.blockMs;
    const pb = s[kind][worst].prom.blockMs;
    const gap = s[kind][worst].ours.gapMs;
    rows.push(
      row(
        `longest loop block during a scrape, ${kind}s (worst size: ${kSeries(worst)})`,
        `${ms(b.median)}${gap ? ` (wall-clock gap ${ms(gap.median)})` : ''}`,
        `${ms(pb.median)} (prom-client)`,
        undefined,
        '≤ 10 ms',
        b.median <= 10,
      ),
    );
    const big = s[kind][sizes[sizes.length - 1]];
    if (big.ours.heapPerSeries !== undefined) {
      const r = big.ours.heapPerSeries / big.prom.heapPerSeries;
      rows.push(
        row(
          `heap per ${kind} series (over ${kSeries(sizes[sizes.length - 1])})`,
          `${int(big.ours.heapPerSeries)} B`,
          `${int(big.prom.heapPerSeries)} B (prom-client)`,
          r,
          '≤ 1× prom-client',
          r <= 1,
        ),
      );
    }
  }
  for (const [kind, o] of Object.entries(s.otlp ?? {})) {
    rows.push(
      row(
        `OTLP http/protobuf export of 100k ${kind} series: time (${o.requests} requests, ${(o.bytes / 1e6).toFixed(1)} MB)`,
        ms(o.ms.median),
        '',
      ),
    );
    const gap = o.gapMs ? ` (wall-clock gap ${ms(o.gapMs.median)})` : '';
    rows.push(row(`same, the app's longest loop block`, `${ms(o.blockMs.median)}${gap}`, '', undefined, '≤ 50 ms', o.blockMs.median <= 50));
  }
  return {
    title: 'Scrapes at scale',
    command: 'node bench/scale.js',
    method: `10 metrics × 100 to 10,000 series of two labels, prom-client's default buckets for both; ours: \`GET /metrics?format=prometheus\` from an app under register, prom-client: \`registry.metrics()\` in its own app, scraped in turn; medians of ${Object.values(
      s.repeats,
    ).join(
      ' / ',
    )} scrapes; loop block: the largest gap between two ticks of a 1 ms timer in the app during a scrape, bounded by the CPU time the app used in that gap (the wall-clock gap beside it also counts time the OS gave other processes); heap: delta after a full GC; OTLP: \`forceFlush()\` of the periodic reader to a local receiver, median of 3 after one warm-up. Chart: docs/scale.svg`,
    rows,
  };
}

function serialize(s) {
  const rows = [];
  for (const kind of ['counter', 'histogram']) {
    for (const n of s.sizes) {
      const r = s[kind][n];
      const us = (x) => `${((x * 1000) / n).toFixed(2)} µs`;
      const ratio = r.ours / r.prom;
      rows.push(
        row(
          `per ${kind} series, ${kSeries(n)} series (longest step ${ms(r.longestStep)})`,
          us(r.ours),
          `${us(r.prom)} (prom-client)`,
          ratio,
          '≤ 0.5× prom-client',
          ratio <= 0.5,
        ),
      );
    }
  }
  return {
    title: 'Serialization per series',
    command: 'node bench/serialize.js',
    method: `in one process: the scrape's writer over the facade's series store in 5 ms steps (each step's text encoded to bytes) against prom-client's \`registry.metrics()\` on the same series (10 metrics, labels id and route, prom-client's default buckets), medians of ${s.counter[s.sizes[0]].rounds} / ${s.counter[s.sizes[1]].rounds} / ${s.counter[s.sizes[2]].rounds} interleaved rounds after 2 warm-ups; over HTTP, as Prometheus sees it: Scrapes at scale`,
    rows,
  };
}

const SECTIONS = { metrics, tracker, logger, scrape, serialize, http, startup, coverage, cluster, scale };

/** The sections present in `results`, in a fixed order: `{ key, run, title, command, method, rows, notes? }`. */
export function evaluate(results) {
  const out = [];
  for (const [key, fn] of Object.entries(SECTIONS)) {
    const s = results[key];
    if (!s) continue;
    if (!s.run) throw new Error(`bench/results.json: section ${key} has no run stamp (date, cpu, node); re-run node bench/${key}.js`);
    out.push({ key, run: s.run, ...fn(s) });
  }
  return out;
}

/** `2026-11-25, AMD EPYC (2 cores, load 3.1 → 2.4), Node v20.20.2` */
export function describeRun(run) {
  const load = run.load ? `, load ${run.load[0].toFixed(1)} → ${run.load[1].toFixed(1)}` : '';
  return `${run.date.slice(0, 10)}, ${run.cpu} (${run.cores} cores${load}), Node ${run.node}`;
}

export const fmtRatio = (r) => (r === undefined ? '' : `${r.toFixed(2)}×`);
export const fmtStatus = (met) => (met === undefined ? '' : met ? 'met' : 'MISSED');
