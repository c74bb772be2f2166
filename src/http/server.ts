import { getConfig } from '../config/index.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { brand, isBranded } from '../util/brand.js';
import type { AddressInfo, Socket } from 'node:net';
import { context, diag, ROOT_CONTEXT } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { describe, invalidArgument, warnOnce } from '../util/report.js';
import {
  bearerMatches,
  errorBody,
  HttpError,
  isLoopback,
  parseTarget,
  send,
  type RouteContext,
  type RouteHandler,
  type RouteReply,
} from './router.js';
import { builtinRoutes } from './routes.js';
import { DEFAULT_PORT, envHost, envPort } from './address.js';
import { bypassHttpInstrumentation } from '../compat/http-server.js';
import { getState } from '../state.js';
import { defaultHealthChecker, type HealthChecker } from '../health/health-checker.js';
import { releaseHistorySampler, startHistorySampler } from '../ui/sampler.js';
import { defaultReadinessChecker, type ReadinessChecker } from '../health/readiness-checker.js';
import { PACKAGE_NAME } from '../package-info.js';

export type { RouteContext, RouteReply, RouteHandler } from './router.js';

const UNTRACED = suppressTracing(ROOT_CONTEXT);

export interface CorsOptions {
  /** Allowed origins: `'*'` or a list of exact origins. */
  origins: '*' | string[];
  /** Extra allowed request headers (Authorization is always allowed). */
  headers?: string[];
  maxAgeSeconds?: number;
}

export interface HealthEndpointsOptions {
  /** Default: MONITORING_HOST, else OTEL_EXPORTER_PROMETHEUS_HOST, else 0.0.0.0. */
  host?: string;
  /** Default: MONITORING_PORT, else OTEL_EXPORTER_PROMETHEUS_PORT, else 9464; 0 picks a free port. */
  port?: number;
  /** Bearer token that unlocks details for non-loopback clients. Default: MONITORING_AUTH_TOKEN. */
  authToken?: string;
  /** CORS; default from MONITORING_CORS_ORIGINS (comma-separated or `*`), off when unset. */
  cors?: CorsOptions;
  /** The checker `/health` serves. Default: the process's default `new HealthChecker()`. */
  healthChecker?: HealthChecker;
  /** The checker `/health/ready` serves. Default: the process's default `new ReadinessChecker()`. */
  readinessChecker?: ReadinessChecker;
  /** A route handler (a custom one that never resolves) is answered 504 after this long. Default 10000. */
  handlerTimeoutMs?: number;
  /** Time a client has to send its request headers (slowloris). Default 10000. */
  headersTimeoutMs?: number;
  /** Time a client has to send its whole request. Default 30000. */
  requestTimeoutMs?: number;
}

function validMs(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !(v > 0) || v > 2 ** 31 - 1) {
    invalidArgument(`HealthEndpoints ${name} must be a positive number of milliseconds, got ${describe(v)}; using ${fallback}`);
    return fallback;
  }
  return v;
}

/** A custom handler: gets the parsed query, returns `[status, body]` or `{ status, body }`. */
export type CustomHandler = (
  query: Record<string, string>,
  ctx: RouteContext,
) => [number, unknown] | { status: number; body?: unknown } | Promise<[number, unknown] | { status: number; body?: unknown }>;

const CLIENT_ERROR_BODY = JSON.stringify(errorBody(400, 'malformed HTTP request'));
const CLIENT_ERROR_RESPONSE =
  'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n' +
  `Content-Length: ${Buffer.byteLength(CLIENT_ERROR_BODY)}\r\n\r\n${CLIENT_ERROR_BODY}`;

const CONNECT_BODY = JSON.stringify(errorBody(405, 'CONNECT is not supported'));
const CONNECT_RESPONSE =
  'HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n' +
  `Content-Length: ${Buffer.byteLength(CONNECT_BODY)}\r\n\r\n${CONNECT_BODY}`;

const NO_HEADERS: Record<string, string> = Object.freeze({}) as Record<string, string>;

function envCors(): CorsOptions | undefined {
  const origins = getConfig().monitoring.corsOrigins;
  return origins === undefined ? undefined : { origins: origins === '*' ? '*' : [...origins] };
}

/**
 * The monitoring HTTP server: health, readiness, metrics (JSON and Prometheus), status.
 * One `node:http` server, never keeping the process alive on its own (`unref`). Its
 * `handler` can also be mounted in an existing node:http / Express / Fastify server.
 */
export class HealthEndpoints {
  static [Symbol.hasInstance](x: unknown): boolean {
    return isBranded(this, HealthEndpoints, 'HealthEndpoints', x);
  }

  readonly host: string;
  readonly port: number;
  private readonly authToken: string | undefined;
  private readonly cors: CorsOptions | undefined;
  private readonly routes = new Map<string, Map<string, RouteHandler>>();
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  private boundPort: number | undefined;
  /** register's server in this process, when start() found it already serving this port. */
  private attached: HealthEndpoints | undefined;
  private forwarded: [string, string][] = [];
  /** This server is one of the history sampler's owners (from start(), or the first mounted request, to stop()). */
  private sampling = false;
  private readonly healthChecker: HealthChecker | undefined;
  private readonly readinessChecker: ReadinessChecker | undefined;
  private readonly timeouts: { handler: number; headers: number; request: number };

  constructor(options: HealthEndpointsOptions = {}) {
    brand(this, 'HealthEndpoints');
    if (options === null || typeof options !== 'object') {
      invalidArgument(`HealthEndpoints options must be an object, got ${describe(options)}`);
      options = {};
    }
    this.host = options.host ?? envHost();
    let port = options.port ?? envPort();
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      invalidArgument(`HealthEndpoints port must be an integer 0..65535, got ${describe(port)}; using ${DEFAULT_PORT}`);
      port = DEFAULT_PORT;
    }
    this.port = port;
    this.authToken = options.authToken ?? getConfig().monitoring.authToken;
    this.cors = options.cors ?? envCors();
    if (
      options.healthChecker !== undefined &&
      typeof (options.healthChecker as { currentResults?: unknown })?.currentResults !== 'function'
    ) {
      invalidArgument(`HealthEndpoints healthChecker must be a HealthChecker, got ${describe(options.healthChecker)}; using the default`);
    } else this.healthChecker = options.healthChecker;
    if (
      options.readinessChecker !== undefined &&
      typeof (options.readinessChecker as { currentResults?: unknown })?.currentResults !== 'function'
    ) {
      invalidArgument(
        `HealthEndpoints readinessChecker must be a ReadinessChecker, got ${describe(options.readinessChecker)}; using the default`,
      );
    } else this.readinessChecker = options.readinessChecker;
    this.timeouts = {
      handler: validMs('handlerTimeoutMs', options.handlerTimeoutMs, 10_000),
      headers: validMs('headersTimeoutMs', options.headersTimeoutMs, 10_000),
      request: validMs('requestTimeoutMs', options.requestTimeoutMs, 30_000),
    };
    for (const [path, method, handler] of builtinRoutes(this)) this.route(method, path, handler);
    this.handler = this.handler.bind(this);
  }

  /** Register a route handler for a method (GET routes also answer HEAD). */
  route(method: string, path: string, handler: RouteHandler): void {
    if (this.attached) {
      this.attached.route(method, path, handler);
      this.forwarded.push([path, method.toUpperCase()]);
    }
    let byMethod = this.routes.get(path);
    if (!byMethod) this.routes.set(path, (byMethod = new Map<string, RouteHandler>()));
    byMethod.set(method.toUpperCase(), handler);
  }

  /** The checker `/health` serves (the default one is created on first use). */
  getHealthChecker(): HealthChecker {
    return this.healthChecker ?? defaultHealthChecker();
  }

  getReadinessChecker(): ReadinessChecker {
    return this.readinessChecker ?? defaultReadinessChecker();
  }

  /** The routes this server answers, for the JSON index at `/`. */
  listRoutes(): { path: string; methods: string[] }[] {
    return [...this.routes].map(([path, m]) => ({ path, methods: [...m.keys()] }));
  }

  /** A custom handler, PySocketCommLib-compatible: `(query) => [status, body]`. */
  addCustomHandler(path: string, handler: CustomHandler): void {
    if (typeof path !== 'string' || !path.startsWith('/')) {
      return invalidArgument(`addCustomHandler: path must be a string starting with "/", got ${describe(path)}`);
    }
    if (typeof handler !== 'function') {
      return invalidArgument(`addCustomHandler("${path}"): handler must be a function, got ${describe(handler)}`);
    }
    this.route('GET', path, async (ctx) => {
      const out = await handler(ctx.query, ctx);
      if (Array.isArray(out) && typeof out[0] === 'number') return { status: out[0], body: out[1] };
      if (out && typeof out === 'object' && typeof (out as { status?: unknown }).status === 'number') {
        const o = out as { status: number; body?: unknown };
        return { status: o.status, body: o.body };
      }
      throw new HttpError(500, `custom handler for ${path} returned neither [status, body] nor { status, body }`);
    });
  }

  /** Start listening; resolves when listening (or when the port could not be bound, with a warning). */
  start(): Promise<void> {
    if (this.server || this.attached) return Promise.resolve();
    // Again after a stop(): the sparklines' sampler follows the servers that use it.
    this.sample();
    // An app's own `new HealthEndpoints().start()` when run under register: register's server
    // already holds this port in this process, so serve this instance's extra routes (custom
    // handlers) there instead of failing with "port in use".
    const running = getState().server.endpoints;
    if (running && running !== this && running.isListening() && (running.port === this.port || this.port === 0)) {
      this.attached = running;
      for (const [path, byMethod] of this.routes) {
        for (const [method, handler] of byMethod) {
          if (running.routes.get(path)?.has(method)) continue;
          running.route(method, path, handler);
          this.forwarded.push([path, method]);
        }
      }
      return Promise.resolve();
    }
    const { headers, request } = this.timeouts;
    // connectionsCheckingInterval: Node enforces the two timeouts only when it checks (every
    // 30 s by default), so a slowloris client would hold its socket up to 30 s past them.
    const server = createServer(
      {
        requestTimeout: Math.max(request, headers),
        headersTimeout: headers,
        keepAliveTimeout: 5_000,
        connectionsCheckingInterval: Math.min(1000, headers),
      },
      // eslint-disable-next-line @typescript-eslint/unbound-method -- bound in the constructor
      (req, res) => context.with(UNTRACED, this.handler, undefined, req, res),
    );
    // Past instrumentation-http's wrapper (a third of a probe's cost, for requests it ignores
    // anyway); the listener above runs handlers with tracing suppressed, as the ignored path did
    // (a readiness check's database query makes no span). `handler` mounted in an app's server
    // stays part of the app's trace.
    bypassHttpInstrumentation(server);
    server.maxHeadersCount = 200;
    server.on('connection', (socket: Socket & { __monitoring?: boolean }) => {
      socket.__monitoring = true;
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    // Without a listener node:http drops a CONNECT request's socket without a word.
    server.on('connect', (_req: IncomingMessage, socket: Socket) => {
      socket.on('error', () => {});
      if (socket.writable) socket.end(CONNECT_RESPONSE);
      else socket.destroy();
    });
    server.on('clientError', (_err, socket: Socket) => {
      // A request node:http cannot parse (bad header, oversized headers): still a JSON answer.
      if (socket.writable) socket.end(CLIENT_ERROR_RESPONSE);
      else socket.destroy();
    });
    this.server = server;
    return new Promise((resolve) => {
      const onError = (err: NodeJS.ErrnoException) => {
        this.server = undefined;
        const why = err.code === 'EADDRINUSE' ? 'is already in use' : `could not be opened (${err.code ?? err.message})`;
        warnOnce(
          `monitoring server: ${this.host}:${this.port} ${why}; running without the monitoring server. ` +
            'Give each process its own port with MONITORING_PORT (0 picks a free one).',
        );
        resolve();
      };
      server.once('error', onError);
      server.listen(this.port, this.host, () => {
        server.off('error', onError);
        server.on('error', (e) => diag.warn(`${PACKAGE_NAME}: monitoring server error: ${e.message}`));
        server.unref();
        this.boundPort = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  /** Stop listening and close idle and open connections. */
  stop(): Promise<void> {
    releaseHistorySampler(this);
    this.sampling = false;
    if (this.attached) {
      for (const [path, method] of this.forwarded) {
        const byMethod = this.attached.routes.get(path);
        byMethod?.delete(method);
        if (byMethod?.size === 0) this.attached.routes.delete(path);
      }
      this.forwarded = [];
      this.attached = undefined;
      return Promise.resolve();
    }
    const server = this.server;
    if (!server) return Promise.resolve();
    this.server = undefined;
    this.boundPort = undefined;
    return new Promise((resolve) => {
      // Connections still busy after a second are cut; the timer goes as soon as the server
      // has closed, so a stopped server leaves no timer behind.
      const force = setTimeout(() => {
        for (const s of this.sockets) s.destroy();
      }, 1000).unref();
      server.close(() => {
        clearTimeout(force);
        resolve();
      });
      server.closeIdleConnections();
    });
  }

  isListening(): boolean {
    if (this.attached) return this.attached.isListening();
    return this.boundPort !== undefined;
  }

  /** The base URL (uses 127.0.0.1 when bound to all interfaces, so it can be opened locally). */
  getUrl(): string {
    if (this.attached) return this.attached.getUrl();
    const host = this.host === '0.0.0.0' || this.host === '::' ? '127.0.0.1' : this.host;
    const h = host.includes(':') ? `[${host}]` : host;
    return `http://${h}:${this.boundPort ?? this.port}`;
  }

  private sample(): void {
    this.sampling = true;
    startHistorySampler(this);
  }

  /** `(req, res, next?)`: mount in an existing server; unknown paths go to `next` when given. */
  handler(req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): void {
    // Mounted without start(): the status page's history starts with the first request.
    if (!this.sampling) this.sample();
    const fail = (err: unknown) => {
      diag.warn(`${PACKAGE_NAME}: route failed: ${(err as Error)?.message ?? String(err)}`);
      send(req, res, { status: 500, body: errorBody(500, 'internal error') }, {});
    };
    try {
      this.dispatch(req, res, next)?.catch(fail);
    } catch (err) {
      fail(err);
    }
  }

  private corsHeaders(req: IncomingMessage): Record<string, string> {
    const cors = this.cors;
    if (!cors) return NO_HEADERS;
    const origin = req.headers.origin;
    if (!cors || !origin) return {};
    const allowed = cors.origins === '*' ? '*' : cors.origins.includes(origin) ? origin : undefined;
    if (!allowed) return {};
    return { 'Access-Control-Allow-Origin': allowed, Vary: 'Origin' };
  }

  // Probes arrive by the thousand: the common case (a known GET route whose handler answers
  // synchronously) allocates no promise and no timer; `allow` is built only for OPTIONS/405.
  private dispatch(req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): void | Promise<void> {
    const cors = this.corsHeaders(req);
    const method = (req.method ?? 'GET').toUpperCase();
    let target: { path: string; query: Record<string, string> };
    try {
      target = parseTarget(req.url);
    } catch (err) {
      const e = err as HttpError;
      return send(req, res, { status: e.status, body: errorBody(e.status, e.message) }, cors);
    }
    const byMethod = this.routes.get(target.path);
    if (!byMethod) {
      if (next) return next();
      return send(req, res, { status: 404, body: errorBody(404, `no route ${JSON.stringify(target.path.slice(0, 200))}`) }, cors);
    }
    const allowed = () => {
      const allow = [...byMethod.keys()];
      if (allow.includes('GET')) allow.push('HEAD');
      allow.push('OPTIONS');
      return allow.join(', ');
    };
    if (method === 'OPTIONS') {
      const allow = allowed();
      const pre: Record<string, string> = { ...cors, Allow: allow };
      if (cors['Access-Control-Allow-Origin']) {
        pre['Access-Control-Allow-Methods'] = allow;
        pre['Access-Control-Allow-Headers'] = ['Authorization', 'Accept', 'Content-Type', ...(this.cors?.headers ?? [])].join(', ');
        pre['Access-Control-Max-Age'] = String(this.cors?.maxAgeSeconds ?? 600);
      }
      res.writeHead(204, pre);
      res.end();
      return;
    }
    const handler = byMethod.get(method) ?? (method === 'HEAD' ? byMethod.get('GET') : undefined);
    if (!handler) {
      return send(
        req,
        res,
        { status: 405, body: errorBody(405, `${method.slice(0, 20)} is not allowed on ${target.path}`) },
        { ...cors, Allow: allowed() },
      );
    }
    const ctx = new Context(req, method, target.path, target.query, this.authToken);
    let out: RouteReply | Promise<RouteReply>;
    try {
      out = handler(ctx);
    } catch (err) {
      return send(req, res, this.failure(target.path, err), cors);
    }
    if (typeof (out as Promise<RouteReply>)?.then !== 'function') return send(req, res, this.checked(target.path, out as RouteReply), cors);
    return this.settle(target.path, out as Promise<RouteReply>, handler.timeoutMs).then((reply) => send(req, res, reply, cors));
  }

  /** An async handler's reply, bounded by the handler timeout (a handler that never settles must not hold the socket). */
  private async settle(path: string, pending: Promise<RouteReply>, limitMs = this.timeouts.handler): Promise<RouteReply> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new HttpError(504, `handler for ${path} did not answer within ${limitMs} ms`)), limitMs);
        timer.unref();
      });
      return this.checked(path, await Promise.race([pending, timeout]));
    } catch (err) {
      return this.failure(path, err);
    } finally {
      clearTimeout(timer);
    }
  }

  private checked(path: string, reply: RouteReply): RouteReply {
    if (!reply || typeof reply.status !== 'number' || reply.status < 100 || reply.status > 599) {
      return this.failure(path, new HttpError(500, `handler for ${path} returned an invalid reply`));
    }
    return reply;
  }

  private failure(path: string, err: unknown): RouteReply {
    const status = err instanceof HttpError ? err.status : 500;
    const message = err instanceof HttpError ? err.message : `handler for ${path} failed`;
    if (!(err instanceof HttpError)) diag.warn(`${PACKAGE_NAME}: handler for ${path} threw: ${(err as Error)?.message ?? String(err)}`);
    return { status, body: errorBody(status, message), headers: err instanceof HttpError ? err.headers : undefined };
  }
}

/**
 * A request's RouteContext. `authorized` and `accept` are computed on first read (prototype
 * getters keep the object cheap to create): a probe route reads neither, and headers or the
 * peer address cost a liveness answer a noticeable share.
 */
class Context implements RouteContext {
  private auth: boolean | undefined;
  readonly tokenRequired: boolean;
  constructor(
    readonly req: IncomingMessage,
    readonly method: string,
    readonly path: string,
    readonly query: Record<string, string>,
    private readonly token: string | undefined,
  ) {
    this.tokenRequired = token !== undefined;
  }
  get authorized(): boolean {
    return (this.auth ??=
      this.token !== undefined ? bearerMatches(this.req.headers.authorization, this.token) : isLoopback(this.req.socket?.remoteAddress));
  }
  get accept(): string {
    return String(this.req.headers.accept ?? '');
  }
}
