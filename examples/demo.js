// `npm start`: a small HTTP service under `node --import ./register`, generating its own
// traffic so the monitoring server has something to show. No collector needed.
//   Stops by itself after DEMO_DURATION_MS (default 10 minutes), or on Ctrl+C.
import http from 'node:http';
import { MetricsCollector } from '@socketcomm/monitoring';

const metrics = new MetricsCollector();
metrics.declareHistogram('demo.work.duration', { unit: 's', description: 'Time spent on simulated work' });

const app = http.createServer((req, res) => {
  const start = performance.now();
  const slow = req.url === '/slow';
  setTimeout(() => {
    const status = req.url === '/fail' ? 500 : 200;
    metrics.incrementCounter('demo.requests', 1, { route: req.url ?? '/', status });
    metrics.recordHistogram('demo.work.duration', (performance.now() - start) / 1000, { route: req.url ?? '/' });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: status === 200 }));
  }, slow ? 150 + Math.random() * 100 : Math.random() * 20);
});

app.listen(Number(process.env.APP_PORT ?? 3000), '127.0.0.1', () => {
  const appUrl = `http://127.0.0.1:${app.address().port}`;
  const monitoringPort = process.env.MONITORING_PORT ?? process.env.OTEL_EXPORTER_PROMETHEUS_PORT ?? '9464';
  console.log(JSON.stringify({ msg: 'demo app listening', app: appUrl, monitoring: `http://127.0.0.1:${monitoringPort}` }));
  const paths = ['/', '/', '/', '/users', '/slow', '/fail'];
  const deadline = Date.now() + Number(process.env.DEMO_DURATION_MS ?? 600_000);
  const timer = setInterval(() => {
    if (Date.now() > deadline) {
      clearInterval(timer);
      app.close();
      return;
    }
    metrics.recordGauge('demo.queue.depth', Math.floor(Math.random() * 10));
    const path = paths[Math.floor(Math.random() * paths.length)];
    fetch(appUrl + path).then((r) => r.arrayBuffer()).catch(() => {});
  }, 200);
});
