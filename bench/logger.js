// Logger throughput, measured in one run, every line written inside an active span to a
// /dev/null destination and (where the logger does it) handed as an OTel log record to a Logs
// SDK whose exporter does nothing: our StructuredLogger vs raw pino vs pino +
// instrumentation-pino vs winston (formatted to the same JSON fields as ours), plus the cost
// of a sampled-out line. The batch processor's queue holds every line of a repeat
// (maxQueueSize = lines), and the timing ends when the destination is flushed and, for the
// exporting cases, every record has reached the exporter: nothing is dropped and uncounted.
// Medians of 5 repeats × 100,000 lines, variants interleaved.
// Run: npm run build && node bench/logger.js
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { context, trace, ROOT_CONTEXT } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { LoggerProvider, BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { median, saveSection } from './harness.js';

const N = Number(process.env.BENCH_N ?? 100000);
const REPEATS = 5;
const require = createRequire(import.meta.url);

new NodeTracerProvider().register();
// A Logs SDK as register builds it (batch processor, batches of 128), with an exporter that
// counts what reaches it; the queue holds a whole repeat (register's default of 2,048 would
// drop ~98 % of a 100,000-line burst, and dropped lines cost almost nothing).
let exported = 0;
const nullExporter = {
  export: (records, cb) => ((exported += records.length), cb({ code: 0 })),
  shutdown: async () => {},
  forceFlush: async () => {},
};
const lp = new LoggerProvider({
  processors: [new BatchLogRecordProcessor({ exporter: nullExporter, maxQueueSize: N, maxExportBatchSize: 128 })],
});
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
// Flushing the destination, and for the exporting cases draining the Logs SDK to its exporter.
const flushBoom = (d, otel) => async () => {
  d.flushSync();
  if (otel) await lp.forceFlush();
};
const fields = (i) => ({ user_id: i, path: '/api/users', status: 200 });

function ours(options) {
  const d = devnull();
  const l = new StructuredLogger({ isolated: true, destination: d, service: 'bench', ...options });
  return {
    write: (i) => l.info('request handled', fields(i)),
    flush: flushBoom(d, options.otel),
    exports: options.otel && options.samplingRate !== 0,
  };
}
function pinoVariant(factory, exports) {
  const d = devnull();
  const p = factory({ base: { service: 'bench' } }, d);
  return { write: (i) => p.info(fields(i), 'request handled'), flush: flushBoom(d, exports), exports };
}
function winstonVariant() {
  const stream = fs.createWriteStream('/dev/null');
  // The fields of our line: level, time as epoch milliseconds (ours formats no ISO date),
  // service, trace_id / span_id / trace_flags, the message and the call's fields.
  const correlate = winston.format((info) => {
    info.time = Date.now();
    const sc = trace.getActiveSpan()?.spanContext();
    if (sc) Object.assign(info, { trace_id: sc.traceId, span_id: sc.spanId, trace_flags: '0' + sc.traceFlags.toString(16) });
    return info;
  });
  const w = winston.createLogger({
    level: 'info',
    defaultMeta: { service: 'bench' },
    format: winston.format.combine(correlate(), winston.format.json()),
    transports: [new winston.transports.Stream({ stream })],
  });
  return {
    write: (i) => w.info('request handled', fields(i)),
    flush: async () => {
      while (stream.writableLength > 0 || w.writableLength > 0) await new Promise((r) => setImmediate(r));
    },
  };
}

// What each case measures, saved with the figures (bench/goals.js shows these names).
const CASES = {
  ours: 'StructuredLogger: JSON line + every record exported through the Logs SDK',
  oursJson: 'StructuredLogger: JSON line only (otel: false)',
  pino: 'raw pino: JSON line',
  pinoInstrumented: 'pino + instrumentation-pino: JSON line + every record exported through the Logs SDK',
  winston: 'winston: JSON line with the same fields as ours',
  sampledOut: 'StructuredLogger: line dropped by sampling (rate 0)',
};
const variants = {
  ours: ours({ otel: true }),
  oursJson: ours({ otel: false }),
  pino: pinoVariant(rawPino, false),
  pinoInstrumented: pinoVariant(instrumentedPino, true),
  winston: winstonVariant(),
  sampledOut: ours({ otel: true, samplingRate: 0 }),
};

async function timeOnce(v) {
  const before = exported;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) v.write(i);
  await v.flush();
  const ns = Number(process.hrtime.bigint() - t0) / N;
  if (v.exports && exported - before !== N) throw new Error(`${exported - before} of ${N} records reached the exporter`);
  return ns;
}

const span = trace.getTracer('bench').startSpan('bench.request');
const ns = await context.with(trace.setSpan(ROOT_CONTEXT, span), async () => {
  for (const v of Object.values(variants)) await timeOnce(v); // warm-up
  const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let r = 0; r < REPEATS; r++) {
    for (const [k, v] of Object.entries(variants)) {
      samples[k].push(await timeOnce(v));
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
});
span.end();

console.log(
  `StructuredLogger throughput — node ${process.version}, ${N} lines × ${REPEATS} repeats (median), inside an active span, to /dev/null\n`,
);
console.log('| case | ns/line | lines/s |');
console.log('| --- | ---: | ---: |');
for (const [k, v] of Object.entries(ns)) console.log(`| ${CASES[k]} | ${v.toFixed(0)} | ${Math.round(1e9 / v).toLocaleString('en-US')} |`);
// Ratios of medians; each goal compares loggers doing the same work (bench/goals.js).
console.log(
  `\nspeed vs pino + instrumentation-pino (both export every record): ${(ns.pinoInstrumented / ns.ours).toFixed(2)}× (goal ≥ 0.9×)`,
);
console.log(`speed vs winston (both a JSON line with the same fields, no export): ${(ns.winston / ns.oursJson).toFixed(2)}× (goal ≥ 3×)`);
console.log(`sampled-out line / written line: ${(ns.sampledOut / ns.ours).toFixed(3)}× (goal ≤ 0.1×)`);
saveSection('logger', { lines: N, repeats: REPEATS, maxQueueSize: N, cases: CASES, nsPerLine: ns });
await lp.shutdown();
