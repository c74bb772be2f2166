// What OTLP/HTTP requests look like on the wire, for the OTEL_EXPORTER_OTLP_HEADERS /
// _COMPRESSION / _PROTOCOL tests: a recording HTTP server on 127.0.0.1 in front of the mock
// receiver (test/otlp.js). It keeps each request's path, headers and raw body, and passes the
// request on, gunzipped, because @elastic/mockotlpserver does not decode Content-Encoding.
// A blackhole (accepts, never answers) measures how long an exporter waits (_TIMEOUT).
import http from 'node:http';
import net from 'node:net';
import { gunzipSync } from 'node:zlib';

export async function startOtlpFront(targetUrl) {
  const requests = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks);
      requests.push({ path: req.url, headers: req.headers, raw });
      try {
        const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        const r = await fetch(targetUrl + req.url, { method: 'POST', headers: { 'content-type': req.headers['content-type'] }, body });
        res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
        res.end(Buffer.from(await r.arrayBuffer()));
      } catch (e) {
        res.writeHead(502).end(String(e));
      }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, requests, close: () => new Promise((r) => server.close(r)) };
}

export async function startBlackhole() {
  const connections = [];
  const sockets = new Set();
  const server = net.createServer((s) => {
    const c = { openedAt: performance.now(), closedAt: undefined };
    connections.push(c);
    sockets.add(s);
    s.on('data', () => {});
    s.on('error', () => {});
    s.on('close', () => {
      c.closedAt = performance.now();
      sockets.delete(s);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    connections,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(r));
    },
  };
}
