// After tsc: mark the CommonJS copy, and bundle what register loads into one CommonJS file.
// Loading one file instead of a few hundred small modules is most of the start-up budget
// (shared/notes/performance.md); CommonJS because the OTel packages' dynamic require("util")
// breaks esbuild's ESM output. Left out of the bundle: the ESM/CJS hook libraries (the
// instrumentations must share the copy the register file talks to), the OTLP exporters and
// host metrics (loaded only when configured / after start), pino and the database drivers
// (the app's own copies are the ones to patch).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

// The CommonJS instrumentations require all of @opentelemetry/semantic-conventions (~80 KB
// minified, hundreds of objects built at load: ~3 MB of start-up RSS) to read a dozen
// constants, and a require() cannot be tree-shaken. Each such require gets its own module
// holding only the names its file reads, with the package's own values.
const semconv = createRequire(import.meta.url)('@opentelemetry/semantic-conventions');
const usedOnly = {
  name: 'semconv-used-only',
  setup(b) {
    b.onResolve({ filter: /^@opentelemetry\/semantic-conventions$/ }, (args) =>
      args.kind === 'require-call' ? { path: args.importer, namespace: 'semconv' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'semconv' }, ({ path }) => {
      const src = readFileSync(path, 'utf8');
      const binding = /const (\w+) = require\("@opentelemetry\/semantic-conventions"\);/.exec(src)?.[1];
      // Only `binding.NAME` reads can be served from a subset; anything else needs the whole package.
      const uses = binding && src.split(binding).length - 2 === [...src.matchAll(new RegExp(`\\b${binding}\\.(\\w+)`, 'g'))].length;
      if (!uses) throw new Error(`${path} uses @opentelemetry/semantic-conventions other than by name; extend the semconv-used-only plugin`);
      const names = new Set([...src.matchAll(new RegExp(`\\b${binding}\\.(\\w+)`, 'g'))].map((m) => m[1]));
      const lines = [...names].map((n) => {
        const v = semconv[n];
        if (v === undefined) throw new Error(`${path}: semantic-conventions has no export ${n}`);
        return `exports.${n} = ${typeof v === 'function' ? v.toString() : JSON.stringify(v)};`;
      });
      return { contents: lines.join('\n'), loader: 'js' };
    });
  },
};

writeFileSync(new URL('../dist/cjs/package.json', import.meta.url), '{"type":"commonjs"}\n');

await build({
  entryPoints: [new URL('../dist/register.js', import.meta.url).pathname],
  outfile: new URL('../dist/register.bundle.cjs', import.meta.url).pathname,
  bundle: true,
  minify: true,
  // No keepNames: its per-function name calls cost ~0.6 MB of start-up RSS; nothing here reads a
  // bundled class's name (the one OTel place, MetricReader's component type, is passed explicitly).
  keepNames: false,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  mainFields: ['module', 'main'],
  logLevel: 'warning',
  plugins: [usedOnly],
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
