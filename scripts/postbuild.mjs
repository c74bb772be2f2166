// After tsc: mark the CommonJS copy, write the status page's files into both copies, and bundle
// what register loads into one CommonJS file.
// Loading one file instead of a few hundred small modules is most of the start-up budget
// (measured: sdk-metrics + exporter-prometheus add ~80 ms to bare node's start, ~32 ms once
// bundled into one file); CommonJS because the OTel packages' dynamic require("util")
// breaks esbuild's ESM output. Left out of the bundle: the ESM/CJS hook libraries (the
// instrumentations must share the copy the register file talks to), the OTLP exporters and
// host metrics (loaded only when configured / after start), pino and the database drivers
// (the app's own copies are the ones to patch), and the packages loaded only on demand
// (instrumentations of libraries, propagators, resource detectors): each becomes its own small
// bundle in dist/lazy/, loaded when needed.
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

// The CommonJS instrumentations require all of @opentelemetry/semantic-conventions (~80 KB
// minified, hundreds of objects built at load: ~3 MB of start-up RSS) to read a dozen
// constants, and a require() cannot be tree-shaken. Each such require gets its own module
// holding only the names its file reads, with the package's own values. A file that uses the
// package in any other way (or reads a name it lacks) keeps the whole package, with a warning:
// the build never fails over a size optimisation.
const semconv = createRequire(import.meta.url)('@opentelemetry/semantic-conventions');

/** The names `file` reads (as `binding.NAME` or destructured), or why it cannot be served a subset. */
function semconvNames(file) {
  const src = readFileSync(file, 'utf8');
  const destructured = /(?:const|var|let) \{([^}]*)\} = require\(['"]@opentelemetry\/semantic-conventions['"]\)/.exec(src)?.[1];
  if (destructured) {
    const names = destructured
      .split(',')
      .map((n) => n.split(':')[0].trim())
      .filter(Boolean);
    const missing = names.find((n) => !/^\w+$/.test(n) || semconv[n] === undefined);
    return missing ? `no export ${missing}` : new Set(names);
  }
  const binding = /(?:const|var|let) (\w+) = require\("@opentelemetry\/semantic-conventions"\);/.exec(src)?.[1];
  if (!binding) return 'no `const x = require(...)` binding';
  const reads = [...src.matchAll(new RegExp(`\\b${binding}\\.(\\w+)`, 'g'))].map((m) => m[1]);
  if (src.split(binding).length - 2 !== reads.length) return `\`${binding}\` is used other than as \`${binding}.NAME\``;
  const missing = reads.find((n) => semconv[n] === undefined);
  return missing ? `no export ${missing}` : new Set(reads);
}

const usedOnly = {
  name: 'semconv-used-only',
  setup(b) {
    b.onResolve({ filter: /^@opentelemetry\/semantic-conventions$/ }, (args) => {
      if (args.kind !== 'require-call') return undefined;
      const names = semconvNames(args.importer);
      if (typeof names === 'string') {
        return { warnings: [{ text: `${args.importer}: the whole semantic-conventions package is bundled (${names})` }] };
      }
      return { path: args.importer, namespace: 'semconv', pluginData: names };
    });
    b.onLoad({ filter: /.*/, namespace: 'semconv' }, ({ pluginData }) => ({
      contents: [...pluginData]
        .map((n) => `exports.${n} = ${typeof semconv[n] === 'function' ? semconv[n].toString() : JSON.stringify(semconv[n])};`)
        .join('\n'),
      loader: 'js',
    }));
  },
};

// Packages register loads on demand (src/sdk/instrumentation-table.ts and the propagator and
// detector tables): the main bundle's require() of one becomes a require() of its own bundle.
const LAZY = /^(@opentelemetry\/(instrumentation-[\w.-]+|propagator-[\w-]+|resource-detector-[\w-]+)|@fastify\/otel)$/;
const AT_START = ['http', 'undici', 'runtime-node', 'host-metrics'].map((n) => `@opentelemetry/instrumentation-${n}`);
const lazyFile = (pkg) =>
  `./lazy/${pkg
    .replace(/^@opentelemetry\//, '')
    .replace(/^@/, '')
    .replace(/\//g, '-')}.cjs`;
const lazyPackages = new Set();
const onDemand = {
  name: 'on-demand',
  setup(b) {
    b.onResolve({ filter: LAZY }, (args) => {
      if (args.kind !== 'require-call' || AT_START.includes(args.path)) return undefined;
      lazyPackages.add(args.path);
      return { path: lazyFile(args.path), external: true };
    });
  },
};

// In a lazy bundle, the OTel packages the main bundle carries are the main bundle's
// (src/sdk/otel-shared.ts): one InstrumentationBase and one require-in-the-middle hook.
const SHARED = /^@opentelemetry\/(api|api-logs|core|instrumentation|resources)$/;
const shared = {
  name: 'shared',
  setup(b) {
    b.onResolve({ filter: SHARED }, (args) => ({ path: args.path, namespace: 'shared' }));
    b.onResolve({ filter: /register\.bundle\.cjs$/ }, () => ({ path: '../register.bundle.cjs', external: true }));
    b.onLoad({ filter: /.*/, namespace: 'shared' }, ({ path }) => ({
      contents: `module.exports = require('../register.bundle.cjs').OTEL_SHARED[${JSON.stringify(path)}];`,
      loader: 'js',
    }));
  },
};

writeFileSync(new URL('../dist/cjs/package.json', import.meta.url), '{"type":"commonjs"}\n');
// package.json "bin": runnable from a checkout too (npm sets the mode when it installs the package).
chmodSync(new URL('../dist/cjs/config/cli.js', import.meta.url), 0o755);

// The status page: src/ui/browser/app.ts bundled into one classic script (the page loads it with
// <script defer>), index.html and app.css as they are; each text written over its placeholder in
// both compiled copies of src/ui/page-assets.ts. Before the register bundle below, which inlines
// the ESM copy.
const browser = (name) => new URL(`../src/ui/browser/${name}`, import.meta.url);
const page = await build({
  entryPoints: [browser('app.ts').pathname],
  bundle: true,
  write: false,
  format: 'iife',
  platform: 'browser',
  target: 'es2017',
  charset: 'utf8',
  logLevel: 'warning',
});
const pageAssets = {
  __STATUS_PAGE_HTML__: readFileSync(browser('index.html'), 'utf8'),
  __STATUS_PAGE_CSS__: readFileSync(browser('app.css'), 'utf8'),
  __STATUS_PAGE_SCRIPT__: page.outputFiles[0].text,
};
for (const copy of ['../dist/ui/page-assets.js', '../dist/cjs/ui/page-assets.js']) {
  const file = new URL(copy, import.meta.url);
  let text = readFileSync(file, 'utf8');
  for (const [placeholder, value] of Object.entries(pageAssets)) {
    const parts = text.split(`'${placeholder}'`);
    if (parts.length !== 2) throw new Error(`${file.pathname}: expected one ${placeholder} placeholder, found ${parts.length - 1}`);
    text = parts.join(JSON.stringify(value));
  }
  writeFileSync(file, text);
}

// What every Node bundle below is built with. No keepNames: its per-function name calls cost
// ~0.6 MB of start-up RSS; nothing here reads a bundled class's name (the one OTel place,
// MetricReader's component type, is passed explicitly).
const nodeBundle = { bundle: true, minify: true, keepNames: false, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' };

await build({
  ...nodeBundle,
  entryPoints: [new URL('../dist/register.js', import.meta.url).pathname],
  outfile: new URL('../dist/register.bundle.cjs', import.meta.url).pathname,
  mainFields: ['module', 'main'],
  plugins: [usedOnly, onDemand],
  external: [
    'import-in-the-middle',
    'require-in-the-middle',
    '@opentelemetry/exporter-trace-otlp-*',
    '@opentelemetry/exporter-metrics-otlp-*',
    '@opentelemetry/exporter-logs-otlp-*',
    // What src/compat/otlp-metric-exporter.ts builds the metric exporter from, on first use.
    '@opentelemetry/otlp-*',
    '@grpc/*',
    'systeminformation',
    'pino',
    'pg',
    'mysql2',
    'ioredis',
    'redis',
    // Loaded with the first profile only (src/profiling/pprof.ts).
    'pprof-format',
  ],
});

const lazyDir = new URL('../dist/lazy/', import.meta.url).pathname;
rmSync(lazyDir, { recursive: true, force: true });
mkdirSync(lazyDir, { recursive: true });
// The configuration file's reader (src/config/load-file.ts with yaml, the schema validator and
// the parts of @opentelemetry/configuration and core it uses), loaded only when OTEL_CONFIG_FILE
// is set: one file instead of ~150 modules (measured: 130 ms to read a file before, see
// docs/configuration.md). @opentelemetry/api is bundled too: the API keeps its state (diag's
// logger) on a process-global symbol, so this copy shares it, and the package's 44 modules
// would cost ~10 ms to load at start-up when nothing else loaded them from node_modules.
await build({
  ...nodeBundle,
  entryPoints: [new URL('../dist/cjs/config/load-file.js', import.meta.url).pathname],
  outfile: new URL('../dist/lazy/config-file.cjs', import.meta.url).pathname,
  mainFields: ['module', 'main'],
});
const require = createRequire(import.meta.url);
await Promise.all(
  [...lazyPackages].map((pkg) =>
    build({
      ...nodeBundle,
      entryPoints: [require.resolve(pkg)],
      outfile: new URL(`../dist/${lazyFile(pkg)}`, import.meta.url).pathname,
      mainFields: ['main'],
      plugins: [usedOnly, shared],
      // The hook libraries are the register file's; winston-transport is the base class the
      // winston transport extends, resolved beside the app's winston like any dependency.
      external: ['import-in-the-middle', 'require-in-the-middle', 'winston-transport'],
    }),
  ),
);
