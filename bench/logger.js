// Logger throughput, measured in one run, every line written inside an active span to a
// /dev/null destination and (where the logger does it) exported to an OTel Logs SDK whose
// exporter does nothing: our StructuredLogger vs raw pino vs pino + instrumentation-pino vs
// winston (with a format adding the same trace fields), plus the cost of a sampled-out line.
// Medians of 5 repeats × 100,000 lines, variants interleaved; flushing is inside the timing.
// Run: npm run build && node bench/logger.js
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { context, trace, ROOT_CONTEXT } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { LoggerProvider, BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { saveSection } from './harness.js';

const N = Number(process.env.BENCH_N ?? 100000);
const REPEATS = 5;
const require = createRequire(import.meta.url);

new NodeTracerProvider().register();
// A Logs SDK as register builds it (batch processor), with an exporter that drops everything.
const nullExporter = { export: (_records, cb) => cb({ code: 0 }), shutdown: async () => {}, forceFlush: async () => {} };
const lp = new LoggerProvider({ processors: [new BatchLogRecordProcessor({ exporter: nullExporter })] });
logs.setGlobalLoggerProvider(lp);

const rawPino = require('pino'); // loaded before the instrumentation: unpatched
registerInstrumentations({ instrumentations: [new PinoInstrumentation()], loggerProvider: lp });
delete require.cache[require.resolve('pino')];
const instrumentedPino = require('pino');
if (instrumentedPino === rawPino) throw new Error('instrumentation-pino did not patch pino');
const { StructuredLogger } = await import('../dist/index.js');
const winston = require('winston');

// pino's default destination mode (sync), which is also StructuredLogger's default.
const devnull = () => rawPino.destination({ dest: fs.openSync('/dev/null', 'w'), sync: true });
const flushBoom = (d) => async () => d.flushSync();
const fields = (i) => ({ user_id: i, path: '/api/users', status: 200 });

function ours(options) {
  const d = devnull();
  const l = new StructuredLogger({ isolated: true, destination: d, service: 'bench', ...options });
  return { write: (i) => l.info('request handled', fields(i)), flush: flushBoom(d) };
}
function pinoVariant(factory) {
  const d = devnull();
  const p = factory({ base: { service: 'bench' } }, d);
  return { write: (i) => p.info(fields(i), 'request handled'), flush: flushBoom(d) };
}
function winstonVariant() {
  const stream = fs.createWriteStream('/dev/null');
  const correlate = winston.format((info) => {
    const sc = trace.getActiveSpan()?.spanContext();
    if (sc) Object.assign(info, { trace_id: sc.traceId, span_id: sc.spanId, trace_flags: '0' + sc.traceFlags.toString(16) });
    return info;
  });
  const w = winston.createLogger({
    level: 'info',
    defaultMeta: { service: 'bench' },
    format: winston.format.combine(correlate(), winston.format.timestamp(), winston.format.json()),
    transports: [new winston.transports.Stream({ stream })],
  });
  return {
    write: (i) => w.info('request handled', fields(i)),
    flush: async () => {
      while (stream.writableLength > 0 || w.writableLength > 0) await new Promise((r) => setImmediate(r));
    },
  };
}

const variants = {
  'StructuredLogger (stdout JSON + OTel Logs SDK)': ours({ otel: true }),
  'StructuredLogger (stdout JSON only)': ours({ otel: false }),
  'raw pino': pinoVariant(rawPino),
  'pino + instrumentation-pino': pinoVariant(instrumentedPino),
  'winston (json + trace fields)': winstonVariant(),
  'StructuredLogger, line sampled out (rate 0)': (() => {
    const v = ours({ otel: true, samplingRate: 0 });
    return v;
  })(),
};

async function timeOnce(v) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) v.write(i);
  await v.flush();
  return Number(process.hrtime.bigint() - t0) / N;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const span = trace.getTracer('bench').startSpan('bench.request');
const ns = await context.with(trace.setSpan(ROOT_CONTEXT, span), async () => {
  for (const v of Object.values(variants)) await timeOnce(v); // warm-up
  const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let r = 0; r < REPEATS; r++) {
    for (const [k, v] of Object.entries(variants)) {
      samples[k].push(await timeOnce(v));
      await lp.forceFlush(); // drain the batch processor between variants, outside the timing
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
});
span.end();

const oursNs = ns['StructuredLogger (stdout JSON + OTel Logs SDK)'];
const oursPlainNs = ns['StructuredLogger (stdout JSON only)'];
const instrNs = ns['pino + instrumentation-pino'];
const winNs = ns['winston (json + trace fields)'];
const droppedNs = ns['StructuredLogger, line sampled out (rate 0)'];
console.log(`StructuredLogger throughput — node ${process.version}, ${N} lines × ${REPEATS} repeats (median), inside an active span, to /dev/null\n`);
console.log('| logger | ns/line | lines/s |');
console.log('| --- | ---: | ---: |');
for (const [name, v] of Object.entries(ns)) console.log(`| ${name} | ${v.toFixed(0)} | ${Math.round(1e9 / v).toLocaleString('en-US')} |`);
// Each goal compares loggers doing the same work: JSON line + Logs SDK export for
// instrumentation-pino; JSON line with trace fields and no export for winston.
const vsInstr = instrNs / oursNs;
const vsWinston = winNs / oursPlainNs;
const dropRatio = droppedNs / oursNs;
console.log(`\ngoal: speed ≥ 0.9× pino + instrumentation-pino (both export to the Logs SDK) → ${vsInstr.toFixed(2)}× ${vsInstr >= 0.9 ? 'met' : 'NOT met'}`);
console.log(`goal: speed ≥ 3× winston (both JSON + trace fields, no export) → ${vsWinston.toFixed(2)}× ${vsWinston >= 3 ? 'met' : 'NOT met'}`);
console.log(`      (with our Logs SDK export on: ${(winNs / oursNs).toFixed(2)}×)`);
console.log(`goal: sampled-out line ≤ 0.1× a written line → ${dropRatio.toFixed(3)}× ${dropRatio <= 0.1 ? 'met' : 'NOT met'}`);
saveSection('logger', { lines: N, repeats: REPEATS, nsPerLine: ns, speedVsInstrumentedPino: vsInstr, speedVsWinston: vsWinston, sampledOutVsWritten: dropRatio });
await lp.shutdown();
