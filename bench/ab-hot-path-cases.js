// The hot-path cases of bench/ab-hot-path.js, for one collector.
export function makeCases(m) {
  const bound = m.counter('bound', { method: 'GET', status: '200' });
  const boundH = m.histogram('bound.h', { method: 'GET', status: '200' });
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
