import http from 'node:http';
import type * as Https from 'node:https';
import { builtin } from '../../util/builtin.js';
import type { ProbeOutcome } from './tcp.js';
import { PACKAGE_NAME } from '../../package-info.js';

export type ExpectedStatus = number | number[] | undefined;

function matches(status: number, expected: ExpectedStatus): boolean {
  if (expected === undefined) return status >= 200 && status < 300;
  return Array.isArray(expected) ? expected.includes(status) : status === expected;
}

/**
 * One GET with its own connection (no agent: nothing pooled stays open). Only the status
 * line matters; the body is not read and the socket is destroyed once the status is known.
 */
export function httpGet(url: URL, shownUrl: string, expected: ExpectedStatus, signal: AbortSignal): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const mod = url.protocol === 'https:' ? builtin<typeof Https>('node:https') : http;
    let settled = false;
    const done = (o: ProbeOutcome) => {
      if (settled) return;
      settled = true;
      req.destroy();
      resolve(o);
    };
    const req = mod.request(url, {
      method: 'GET',
      agent: false,
      signal,
      headers: { 'user-agent': `${PACKAGE_NAME} readiness`, accept: 'application/json, */*', connection: 'close' },
    });
    req.on('socket', (s) => s.unref());
    req.once('response', (res) => {
      const status = res.statusCode ?? 0;
      res.destroy();
      const want = expected === undefined ? '2xx' : Array.isArray(expected) ? expected.join('/') : String(expected);
      done(
        matches(status, expected)
          ? { status: 'healthy', message: `GET ${shownUrl} answered ${status}`, details: { httpStatus: status } }
          : { status: 'unhealthy', message: `GET ${shownUrl} answered ${status}, expected ${want}`, details: { httpStatus: status } },
      );
    });
    req.once('error', (err: NodeJS.ErrnoException) => {
      if (signal.aborted) return done({ status: 'unhealthy', message: `GET ${shownUrl} timed out` });
      done({ status: 'unhealthy', message: `GET ${shownUrl} failed: ${err.code ?? err.message}` });
    });
    req.end();
  });
}
