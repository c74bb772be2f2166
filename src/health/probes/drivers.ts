import type { ProbeOutcome } from './tcp.js';

// Minimal shapes of the optional drivers: they are peers, so our published types must not
// depend on theirs.
interface PgClient {
  connect(): Promise<void>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
  on(event: 'error', fn: (e: Error) => void): void;
  connection?: { stream?: { destroy(): void } };
}
interface PgModule {
  Client: new (config: Record<string, unknown>) => PgClient;
}
interface MysqlConnection {
  ping(cb: (err: Error | null) => void): void;
  end(cb?: (err?: Error | null) => void): void;
  destroy(): void;
  on(event: 'error', fn: (e: Error) => void): void;
}
interface MysqlModule {
  createConnection: (config: Record<string, unknown>) => MysqlConnection;
}
interface RedisClient {
  connect(): Promise<void>;
  ping(): Promise<string>;
  disconnect(): void;
  on(event: 'error', fn: (e: Error) => void): void;
}
type RedisCtor = new (url: string, options: Record<string, unknown>) => RedisClient;

const cache = new Map<string, Promise<unknown>>();

/** Import an optional peer once; undefined when it is not installed. */
export function loadDriver<T>(name: 'pg' | 'mysql2' | 'ioredis'): Promise<T | undefined> {
  let p = cache.get(name);
  if (!p) {
    const specifier: string = name; // a variable: bundlers and tsc must not resolve it at build time
    p = import(specifier).then(
      (m: Record<string, unknown>) => m,
      () => undefined,
    );
    cache.set(name, p);
  }
  return p as Promise<T | undefined>;
}

function onAbort(signal: AbortSignal, fn: () => void): () => void {
  if (signal.aborted) {
    fn();
    return () => {};
  }
  signal.addEventListener('abort', fn, { once: true });
  return () => signal.removeEventListener('abort', fn);
}

export async function pgProbe(mod: unknown, url: URL, timeoutMs: number, signal: AbortSignal): Promise<ProbeOutcome> {
  const m = mod as PgModule & { default?: PgModule };
  const Client = m.Client ?? m.default?.Client;
  const client = new Client({ connectionString: url.href, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  client.on('error', () => {});
  const kill = () => {
    client.connection?.stream?.destroy();
    client.end().catch(() => {});
  };
  const off = onAbort(signal, kill);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { status: 'healthy', message: 'PostgreSQL SELECT 1 OK' };
  } catch (err) {
    return { status: 'unhealthy', message: `PostgreSQL check failed: ${(err as Error).message}` };
  } finally {
    off();
    kill();
  }
}

export function mysqlProbe(mod: unknown, url: URL, timeoutMs: number, signal: AbortSignal): Promise<ProbeOutcome> {
  const m = mod as MysqlModule & { default?: MysqlModule };
  const createConnection = m.createConnection ?? m.default?.createConnection;
  const database = decodeURIComponent(url.pathname.slice(1));
  const conn = createConnection({
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    ...(database ? { database } : {}),
    connectTimeout: timeoutMs,
  });
  conn.on('error', () => {});
  return new Promise((resolve) => {
    let settled = false;
    const finish = (o: ProbeOutcome, graceful: boolean) => {
      if (settled) return;
      settled = true;
      off();
      if (graceful) conn.end(() => {});
      else conn.destroy();
      resolve(o);
    };
    const off = onAbort(signal, () => finish({ status: 'unhealthy', message: 'MySQL ping timed out' }, false));
    conn.ping((err) => {
      if (err) finish({ status: 'unhealthy', message: `MySQL ping failed: ${err.message}` }, false);
      else finish({ status: 'healthy', message: 'MySQL ping OK' }, true);
    });
  });
}

export async function redisProbe(mod: unknown, url: URL, timeoutMs: number, signal: AbortSignal): Promise<ProbeOutcome> {
  const m = mod as { default?: RedisCtor; Redis?: RedisCtor };
  const Redis = (m.default ?? m.Redis) as RedisCtor;
  const client = new Redis(url.href, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    reconnectOnError: () => false,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    showFriendlyErrorStack: false,
    // disconnect() ends the socket and keeps a (ref'd) 2 s timer to destroy it if the peer never
    // closes — a blackholed Redis never does. A probe has nothing to flush: destroy at once.
    disconnectTimeout: 0,
  });
  // ioredis reports the cause (ECONNREFUSED, ...) as an 'error' event and rejects with a
  // generic "Connection is closed": keep the cause for the message.
  let cause: Error | undefined;
  client.on('error', (e) => (cause ??= e));
  const off = onAbort(signal, () => client.disconnect());
  try {
    await client.connect();
    const pong = await client.ping();
    return pong === 'PONG'
      ? { status: 'healthy', message: 'Redis PING OK' }
      : { status: 'unhealthy', message: `Redis PING answered ${JSON.stringify(pong).slice(0, 50)}` };
  } catch (err) {
    const e = cause ?? (err as Error);
    return { status: 'unhealthy', message: `Redis check failed: ${e.message}` };
  } finally {
    off();
    client.disconnect();
  }
}
