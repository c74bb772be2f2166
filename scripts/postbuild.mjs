// After tsc: mark the CommonJS copy, and bundle what register loads into one CommonJS file.
// Loading one file instead of a few hundred small modules is most of the start-up budget
// (shared/notes/performance.md); CommonJS because the OTel packages' dynamic require("util")
// breaks esbuild's ESM output. Left out of the bundle: the ESM/CJS hook libraries (the
// instrumentations must share the copy the register file talks to), the OTLP exporters and
// host metrics (loaded only when configured / after start), pino and the database drivers
// (the app's own copies are the ones to patch).
import { writeFileSync } from 'node:fs';
import { build } from 'esbuild';

writeFileSync(new URL('../dist/cjs/package.json', import.meta.url), '{"type":"commonjs"}\n');

await build({
  entryPoints: [new URL('../dist/register.js', import.meta.url).pathname],
  outfile: new URL('../dist/register.bundle.cjs', import.meta.url).pathname,
  bundle: true,
  minify: true,
  keepNames: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  mainFields: ['module', 'main'],
  logLevel: 'warning',
  external: [
    'import-in-the-middle',
    'require-in-the-middle',
    '@opentelemetry/exporter-trace-otlp-*',
    '@opentelemetry/exporter-metrics-otlp-*',
    '@opentelemetry/exporter-logs-otlp-*',
    '@grpc/*',
    'systeminformation',
    'pino',
    'pg',
    'mysql2',
    'ioredis',
    'redis',
    // Loaded on the first Fastify instance only (src/sdk/fastify-lazy.ts).
    '@fastify/otel',
  ],
});
