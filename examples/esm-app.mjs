// A plain ESM service with NO monitoring code: an http server that calls itself with fetch,
// queries PostgreSQL with pg and reads Redis with ioredis. Everything it reports — the http
// server span, the fetch (undici) client span, the pg and ioredis spans, metrics, /health —
// comes from the one flag:
//   APP_PORT=3000 MONITORING_PORT=9464 node --import ./register examples/esm-app.mjs
// PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres) and REDIS_URL
// (default redis://127.0.0.1:6379) point it at other servers.
import http from 'node:http';
import pg from 'pg';
import Redis from 'ioredis';

const pool = new pg.Pool({ connectionString: process.env.PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres', max: 2 });
// lazyConnect + one retry: a Redis that is down fails the request, it does not spam reconnects.
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });

const server = http.createServer(async (req, res) => {
  try {
    if (req.url === '/hello') return send(res, 200, { hello: 'world' });
    if (req.url === '/') {
      const self = `http://127.0.0.1:${server.address().port}`;
      const hello = await (await fetch(`${self}/hello`)).json();
      const { rows } = await pool.query('SELECT 1 AS one');
      const cached = await redis.get('examples:esm-app');
      return send(res, 200, { hello, db: rows[0].one, cached });
    }
    send(res, 404, { error: 'not found' });
  } catch (err) {
    send(res, 502, { error: err.message });
  }
});

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

server.listen(Number(process.env.APP_PORT ?? 3000), '127.0.0.1', () => {
  console.log(JSON.stringify({ msg: 'esm-app listening', url: `http://127.0.0.1:${server.address().port}` }));
});

// The app's own graceful stop: close what it opened and let the event loop drain (exit 0).
// Under register the monitoring shutdown (flush) runs too, and leaves the exit to the app.
process.once('SIGTERM', () => {
  server.close();
  server.closeIdleConnections();
  void Promise.allSettled([pool.end(), redis.quit()]);
});
