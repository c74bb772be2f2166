// The hot-path cases of bench/ab-hot-path.js, for one collector.
export function makeCases(m) {
  const bound = m.counter('bound', { method: 'GET', status: '200' });
  const boundH = m.histogram('bound.h', { method: 'GET', status: '200' });
  // With a TTL (a build without TTLs ignores the option: the ratio is then the TTL's cost).
  m.declareCounter('bound.ttl', { ttlMs: 600_000 });
  m.declareCounter('c.ttl', { ttlMs: 600_000 });
  const boundTtl = m.counter('bound.ttl', { method: 'GET', status: '200' });
  return {
    'counter, no attrs': (n) => {
      for (let i = 0; i < n; i++) m.incrementCounter('c.none');
    },
    'counter, 2 attrs': (n) => {
      for (let i = 0; i < n; i++) m.incrementCounter('c.attrs', 1, { method: 'GET', status: i & 1 ? '200' : '500' });
    },
    'counter, bound handle': (n) => {
      for (let i = 0; i < n; i++) bound.add();
    },
    'counter, bound handle, TTL': (n) => {
      for (let i = 0; i < n; i++) boundTtl.add();
    },
    'counter, 2 attrs, TTL': (n) => {
      for (let i = 0; i < n; i++) m.incrementCounter('c.ttl', 1, { method: 'GET', status: i & 1 ? '200' : '500' });
    },
    'histogram, 2 attrs': (n) => {
      for (let i = 0; i < n; i++) m.recordHistogram('h.attrs', i % 1000, { method: 'GET', status: i & 1 ? '200' : '500' });
    },
    'histogram, bound handle': (n) => {
      for (let i = 0; i < n; i++) boundH.record(i % 1000);
    },
    'gauge, no attrs': (n) => {
      for (let i = 0; i < n; i++) m.recordGauge('g.none', i);
    },
  };
}
