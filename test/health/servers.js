// Local TCP/HTTP servers for readiness tests: a blackhole (accepts, never answers), HTTP
// servers answering 200 / 500 / never, and a port that is closed.
import http from 'node:http';
import net from 'node:net';

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

/** A TCP server that accepts connections and never sends a byte. */
export async function blackhole() {
  const sockets = new Set();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    s.resume(); // read (and drop) what arrives, so a client's FIN is seen; never answer
  });
  const port = await listen(server);
  return {
    port,
    open: () => sockets.size,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(r);
      }),
  };
}

/** HTTP server: /ok → 200, /fail → 500, /hang → never answers. */
export async function httpTarget() {
  const hanging = new Set();
  const server = http.createServer((req, res) => {
    if (req.url.startsWith('/ok')) return res.end('ok');
    if (req.url.startsWith('/fail')) {
      res.statusCode = 500;
      return res.end('fail');
    }
    hanging.add(res);
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(r);
      }),
  };
}

/** A port nothing listens on (bound, read, closed). */
export async function closedPort() {
  const s = net.createServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
}

/** Open TCP sockets of this process (client side). */
export function openSockets() {
  return process._getActiveHandles().filter((h) => h instanceof net.Socket && !h.destroyed && h.remotePort !== undefined).length;
}
