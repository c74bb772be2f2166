import net from 'node:net';
import type { HealthStatus } from '../status.js';

export interface ProbeOutcome {
  status: HealthStatus;
  message: string;
  details?: Record<string, unknown>;
}

/** Open a TCP connection and close it at once. The signal (timeout) destroys the socket. */
export function tcpConnect(host: string, port: number, signal: AbortSignal): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect({ host, port });
    socket.unref();
    const done = (outcome: ProbeOutcome) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(outcome);
    };
    const onAbort = () => done({ status: 'unhealthy', message: `TCP connect to ${host}:${port} timed out` });
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () =>
      done({
        status: 'healthy',
        message: `TCP connect to ${host}:${port} OK`,
        details: { connectMs: Math.round((performance.now() - started) * 100) / 100 },
      }),
    );
    socket.once('error', (err: NodeJS.ErrnoException) =>
      done({ status: 'unhealthy', message: `TCP connect to ${host}:${port} failed: ${err.code ?? err.message}` }),
    );
  });
}
