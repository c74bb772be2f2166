// The instrumentation table against upstream: every name @opentelemetry/auto-instrumentations-node
// (the version in devDependencies, same OTel line) has, the same defaults, each entry's module
// list equal to what the instrumentation itself patches, and every on-demand bundle loading
// and constructing against register's shared OTel packages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ROOT } from '../helpers.js';

const require = createRequire(import.meta.url);
const { INSTRUMENTATIONS } = require('../../dist/cjs/sdk/instrumentation-table.js');
const { enabledInstrumentations } = require('../../dist/cjs/sdk/instrumentations.js');
const PREFIX = '@opentelemetry/instrumentation-';

test('the names and defaults of auto-instrumentations-node, plus fastify (@fastify/otel)', () => {
  for (const k of ['OTEL_NODE_ENABLED_INSTRUMENTATIONS', 'OTEL_NODE_DISABLED_INSTRUMENTATIONS']) delete process.env[k];
  const upstream = JSON.parse(readFileSync(`${ROOT}/node_modules/@opentelemetry/auto-instrumentations-node/package.json`, 'utf8'));
  const all = Object.keys(upstream.dependencies)
    .filter((d) => d.startsWith(PREFIX))
    .map((d) => d.slice(PREFIX.length));
  const { getNodeAutoInstrumentations } = require('@opentelemetry/auto-instrumentations-node');
  const upstreamOn = getNodeAutoInstrumentations().map((i) => i.instrumentationName.slice(PREFIX.length));
  assert.ok(all.length >= 40 && upstreamOn.length >= 38, `upstream lists ${all.length} (${upstreamOn.length} on)`);
  assert.deepEqual(Object.keys(INSTRUMENTATIONS).sort(), [...all, 'fastify'].sort());
  // host-metrics is off upstream; here it is the system metrics, on by default (MONITORING_SYSTEM_METRICS).
  assert.deepEqual([...enabledInstrumentations()].sort(), [...upstreamOn, 'fastify', 'host-metrics'].sort());
  assert.deepEqual(all.filter((n) => !upstreamOn.includes(n)).sort(), ['fs', 'host-metrics']);
});

test("each entry's modules are the modules its instrumentation patches", () => {
  for (const [name, entry] of Object.entries(INSTRUMENTATIONS)) {
    if (!entry.create || name === 'aws-lambda') continue; // aws-lambda's module is the Lambda handler
    const inst = entry.create();
    try {
      const patched = inst.getModuleDefinitions().map((d) => d.name);
      // @fastify/otel patches nothing: it listens on Fastify's initialization channel.
      const expected = name === 'fastify' ? [] : [...entry.modules];
      if (name === 'undici' || name === 'runtime-node') assert.deepEqual(entry.modules, []);
      else assert.deepEqual([...new Set(patched)].sort(), expected.sort(), name);
    } finally {
      inst.disable();
    }
  }
});

test('every on-demand bundle loads against the shared OTel packages and constructs', () => {
  const bundle = require('../../dist/register.bundle.cjs');
  assert.ok(bundle.OTEL_SHARED['@opentelemetry/instrumentation'].InstrumentationBase);
  const files = readdirSync(`${ROOT}/dist/lazy`).filter((f) => f.startsWith('instrumentation-') || f === 'fastify-otel.cjs');
  assert.equal(files.length, Object.values(INSTRUMENTATIONS).filter((e) => e.create && e.eager !== true).length);
  for (const f of files) {
    const mod = require(`${ROOT}/dist/lazy/${f}`);
    const Ctor =
      Object.values(mod).find((v) => typeof v === 'function' && /Instrumentation$/.test(v.name ?? '') && v.prototype?.enable) ??
      Object.values(mod).find((v) => typeof v === 'function' && v.prototype?.enable);
    assert.ok(Ctor, `${f} exports an instrumentation class`);
    const inst = new Ctor({ enabled: false });
    assert.ok(
      inst instanceof bundle.OTEL_SHARED['@opentelemetry/instrumentation'].InstrumentationBase,
      `${f} extends the shared InstrumentationBase`,
    );
  }
});
