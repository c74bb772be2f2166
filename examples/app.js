// A minimal service instrumented with only `--import`: an http server and the facade.
//   MONITORING_PORT=9464 APP_PORT=3000 node --import ./register examples/app.js
// (APP_HOST=0.0.0.0 inside a container; the default is loopback only.)
import http from 'node:http';
import { MetricsCollector } from '@socketcomm/monitoring';

const metrics = new MetricsCollector();
metrics.declareHistogram('app.request.duration', { unit: 's', description: 'Time to answer one request' });

const server = http.createServer((req, res) => {
  const start = performance.now();
  metrics.incrementCounter('app.requests', 1, { route: req.url === '/' ? '/' : 'other' });
  metrics.recordGauge('app.last_request_size', Number(req.headers['content-length'] ?? 0));
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ ok: true }));
  metrics.recordHistogram('app.request.duration', (performance.now() - start) / 1000, { route: '/' });
});
server.listen(Number(process.env.APP_PORT ?? 3000), process.env.APP_HOST ?? '127.0.0.1', () => {
  const { port } = server.address();
  console.log(JSON.stringify({ msg: 'app listening', url: `http://127.0.0.1:${port}` }));
});
