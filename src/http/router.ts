import type { IncomingMessage, ServerResponse } from 'node:http';
import type * as Crypto from 'node:crypto';
import { builtin } from '../util/builtin.js';

/** What a route handler sees of a request. */
export interface RouteContext {
  req: IncomingMessage;
  method: string;
  path: string;
  query: Record<string, string>;
  /** May this client see details (check details, process info, spans, logs)? */
  authorized: boolean;
  /** Is an auth token configured (so a missing one is a 401 on detail-only routes)? */
  tokenRequired: boolean;
  accept: string;
}

/** A reply body written in pieces as the client takes them: `next()` gives the next piece, null at the end. */
export interface ReplyStream {
  next(): Promise<string | Uint8Array | null>;
  /** The client left (or the request was a HEAD): no more pieces will be asked for. */
  cancel(): void;
}

/**
 * A route's answer. `body` is JSON-serialised unless it is a string or Buffer; `stream`, when
 * set, is the body instead (sent chunked, with back-pressure).
 */
export interface RouteReply {
  status: number;
  body?: unknown;
  stream?: ReplyStream;
  contentType?: string;
  headers?: Record<string, string>;
}

/**
 * A route handler. `timeoutMs` overrides the server's handler timeout for a route that takes
 * long by design (a profile runs up to a minute).
 */
export type RouteHandler = ((ctx: RouteContext) => RouteReply | Promise<RouteReply>) & { timeoutMs?: number };

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  414: 'URI Too Long',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function errorBody(status: number, message: string): { error: string; message: string; status: number } {
  return { error: REASONS[status] ?? 'Error', message, status };
}

/**
 * What a detail-only route answers a client that may not see details: 401 with a challenge
 * when a token is set (the client can send it), else 403 (a client that is not on loopback).
 */
export function notAuthorized(ctx: Pick<RouteContext, 'tokenRequired'>): HttpError {
  if (ctx.tokenRequired) {
    return new HttpError(401, 'this route needs the bearer token (Authorization: Bearer <MONITORING_AUTH_TOKEN>)', {
      'WWW-Authenticate': 'Bearer realm="monitoring"',
    });
  }
  return new HttpError(403, 'this route answers loopback clients only (set MONITORING_AUTH_TOKEN to allow others with the bearer token)');
}

export const MAX_URL_LENGTH = 8192;

/** Parse path and query; throws HttpError(400/414) on what a hostile client may send. */
export function parseTarget(rawUrl: string | undefined): { path: string; query: Record<string, string> } {
  const url = rawUrl ?? '/';
  if (url.length > MAX_URL_LENGTH) throw new HttpError(414, `request target longer than ${MAX_URL_LENGTH} bytes`);
  if (!url.startsWith('/')) throw new HttpError(400, 'request target must be an absolute path');
  if (url.includes('\u0000')) throw new HttpError(400, 'request target contains a NUL byte');
  const q = url.indexOf('?');
  const rawPath = q >= 0 ? url.slice(0, q) : url;
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    throw new HttpError(400, 'malformed percent-encoding in path');
  }
  if (path.includes('\u0000')) throw new HttpError(400, 'request path contains a NUL byte');
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  const query: Record<string, string> = {};
  if (q >= 0) {
    for (const part of url.slice(q + 1).split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const k = eq >= 0 ? part.slice(0, eq) : part;
      const v = eq >= 0 ? part.slice(eq + 1) : '';
      try {
        const key = decodeURIComponent(k.replace(/\+/g, ' '));
        if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
        if (!(key in query)) query[key] = decodeURIComponent(v.replace(/\+/g, ' '));
      } catch {
        throw new HttpError(400, 'malformed percent-encoding in query string');
      }
    }
  }
  return { path, query };
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function digest(s: string): Buffer {
  return builtin<typeof Crypto>('node:crypto').createHash('sha256').update(s).digest();
}

/** Constant-time bearer token comparison (hashing first makes the lengths equal). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  if (!header) return false;
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!m) return false;
  return builtin<typeof Crypto>('node:crypto').timingSafeEqual(digest(m[1]!), digest(token));
}

export function send(req: IncomingMessage, res: ServerResponse, reply: RouteReply, extraHeaders: Record<string, string>): void {
  if (reply.stream !== undefined) return sendStream(req, res, reply, reply.stream, extraHeaders);
  if (res.headersSent || res.destroyed) return;
  let payload: string | Buffer;
  let type = reply.contentType;
  let status = reply.status;
  if (typeof reply.body === 'string' || Buffer.isBuffer(reply.body)) {
    payload = reply.body;
    type ??= 'text/plain; charset=utf-8';
  } else {
    payload = safeStringify(reply.body ?? {});
    type ??= 'application/json; charset=utf-8';
    // A body that could not be serialised is answered as what it is: a 500, not a 200 whose
    // body is an error.
    if (payload === UNSERIALISABLE) status = 500;
  }
  const headers: Record<string, string | number> = {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(payload),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  };
  // Most replies (every probe) add nothing: skip the two spreads.
  for (const k in extraHeaders) headers[k] = extraHeaders[k]!;
  for (const k in reply.headers) headers[k] = reply.headers[k]!;
  res.writeHead(status, headers);
  res.end(req.method === 'HEAD' ? undefined : payload);
}

function sendStream(
  req: IncomingMessage,
  res: ServerResponse,
  reply: RouteReply,
  stream: ReplyStream,
  extraHeaders: Record<string, string>,
): void {
  if (res.headersSent || res.destroyed || req.method === 'HEAD') {
    stream.cancel();
    if (!res.headersSent && !res.destroyed) {
      res.writeHead(reply.status, replyHeaders(reply, extraHeaders));
      res.end();
    }
    return;
  }
  res.writeHead(reply.status, replyHeaders(reply, extraHeaders));
  void pump(res, stream);
}

function replyHeaders(reply: RouteReply, extraHeaders: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': reply.contentType ?? 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  };
  for (const k in extraHeaders) headers[k] = extraHeaders[k]!;
  for (const k in reply.headers) headers[k] = reply.headers[k]!;
  return headers;
}

/** Writes the pieces while the client takes them; a client that leaves cancels the stream. */
async function pump(res: ServerResponse, stream: ReplyStream): Promise<void> {
  let gone = false;
  let wake: (() => void) | undefined;
  const onClose = () => {
    gone = true;
    stream.cancel();
    wake?.();
  };
  res.once('close', onClose);
  try {
    for (;;) {
      const chunk = await stream.next();
      if (gone) return;
      if (chunk === null) {
        res.end();
        return;
      }
      if (!res.write(chunk)) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          res.once('drain', resolve);
        });
        res.off('drain', wake!);
        wake = undefined;
        if (gone) return;
      }
    }
  } catch {
    // The writer failed after the status went out: a cut-off body tells the client (a
    // scraper marks the scrape failed); the scrape itself has warned.
    stream.cancel();
    res.destroy();
  } finally {
    res.off('close', onClose);
  }
}

const UNSERIALISABLE = JSON.stringify(errorBody(500, 'response body could not be serialised'));

/** JSON that survives cycles, BigInt and throwing getters (a handler's body is user data). */
export function safeStringify(value: unknown): string {
  const bigint = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);
  try {
    // The common case: plain data (an object seen twice without a cycle is fine here). No
    // replacer: a replacer function makes JSON.stringify several times slower; BigInt throws
    // and takes the slow path below.
    return JSON.stringify(value) ?? 'null';
  } catch {
    // A cycle, a BigInt or a throwing getter: mark repeated objects instead of failing.
  }
  const seen = new WeakSet();
  try {
    return JSON.stringify(value, (k, v: unknown) => {
      if (typeof v === 'object' && v !== null) {
        if (seen.has(v)) return '[Circular]';
        seen.add(v);
      }
      return bigint(k, v);
    });
  } catch {
    return UNSERIALISABLE;
  }
}
