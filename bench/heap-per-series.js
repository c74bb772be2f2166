// Heap per series: 100,000 counter series with two attributes (id, route) through the facade
// vs prom-client, each in its own process (node --expose-gc); heap delta after GC / series.
//   node --expose-gc bench/heap-per-series.js [facade|prom-client] [series]
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const N = Number(process.argv[3] ?? 100_000);
const ROUTES = ['/a', '/b', '/c', '/d'];

function gcHeap() {
  for (let i = 0; i < 4; i++) globalThis.gc();
  return process.memoryUsage().heapUsed;
}

async function measure(which) {
  // Attribute values made before the baseline: both libraries share the same strings.
  const ids = Array.from({ length: N }, (_, i) => String(i));
  let record;
  if (which === 'facade') {
    const { MetricsCollector } = await import('../dist/index.js');
    const m = new MetricsCollector({ isolated: true });
    m.declareCounter('heap.test', { cardinalityLimit: N + 10 });
    m.incrementCounter('heap.test', 1, { id: 'x', route: '/a' });
    record = (i) => m.incrementCounter('heap.test', 1, { id: ids[i], route: ROUTES[i & 3] });
  } else {
    const client = (await import('prom-client')).default;
    const reg = new client.Registry();
    const c = new client.Counter({ name: 'heap_test', help: 'h', labelNames: ['id', 'route'], registers: [reg] });
    c.inc({ id: 'x', route: '/a' });
    record = (i) => c.inc({ id: ids[i], route: ROUTES[i & 3] });
  }
  const before = gcHeap();
  for (let i = 0; i < N; i++) record(i);
  const after = gcHeap();
  return (after - before) / N;
}

const which = process.argv[2];
if (which) {
  process.send?.(await measure(which)) ?? console.log(which, (await measure(which)).toFixed(0));
} else {
  const self = fileURLToPath(import.meta.url);
  for (const w of ['facade', 'prom-client']) {
    const runs = [];
    for (let r = 0; r < 3; r++) {
      runs.push(
        await new Promise((resolve, reject) => {
          const child = fork(self, [w, String(N)], { execArgv: ['--expose-gc'] });
          child.once('message', resolve);
          child.once('error', reject);
        }),
      );
    }
    runs.sort((a, b) => a - b);
    console.log(`${w}: ${runs[1].toFixed(0)} bytes per series (median of 3: ${runs.map((x) => x.toFixed(0)).join(', ')})`);
  }
}
