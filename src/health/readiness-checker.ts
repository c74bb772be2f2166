import { getState, singleton } from '../state.js';
import { isShuttingDown } from '../shutdown.js';
import { brand, isBranded } from '../util/brand.js';
import { describe, invalidArgument } from '../util/report.js';
import { maskDsn, scrubberFor } from './mask.js';
import { loadDriver, mysqlProbe, pgProbe, redisProbe } from './probes/drivers.js';
import { httpGet, type ExpectedStatus } from './probes/http.js';
import { tcpConnect, type ProbeOutcome } from './probes/tcp.js';
import { CheckRegistry, validName, validTimeout } from './registry.js';

export interface DependencyOptions {
  /** Longest a check may take (default 5000 ms); past it the dependency is not ready. */
  timeoutMs?: number;
  /** A non-critical dependency that fails makes readiness DEGRADED, not "not ready" (default true). */
  critical?: boolean;
}
export interface HttpDependencyOptions extends DependencyOptions {
  /** Status (or statuses) that count as ready; default any 2xx. */
  expectedStatus?: number | number[];
}
export interface ReadinessCheckerOptions {
  /** A private checker, not the process's default one. */
  isolated?: boolean;
}

const DATABASES: Record<string, { kind: 'postgresql' | 'mysql' | 'redis'; driver: 'pg' | 'mysql2' | 'ioredis'; port: number }> = {
  'postgres:': { kind: 'postgresql', driver: 'pg', port: 5432 },
  'postgresql:': { kind: 'postgresql', driver: 'pg', port: 5432 },
  'mysql:': { kind: 'mysql', driver: 'mysql2', port: 3306 },
  'mariadb:': { kind: 'mysql', driver: 'mysql2', port: 3306 },
  'redis:': { kind: 'redis', driver: 'ioredis', port: 6379 },
  'rediss:': { kind: 'redis', driver: 'ioredis', port: 6380 },
};

function parseUrl(s: string): URL | undefined {
  try {
    return new URL(s);
  } catch {
    return undefined;
  }
}

/**
 * Is the process ready for traffic: its TCP, HTTP and database dependencies. `new
 * ReadinessChecker()` returns the process's default checker (the one `/health/ready` serves)
 * unless `{ isolated: true }`. Credentials in URLs never appear in results, spans or metrics.
 */
export class ReadinessChecker extends CheckRegistry {
  static override [Symbol.hasInstance](x: unknown): boolean {
    return isBranded(this, ReadinessChecker, 'ReadinessChecker', x);
  }

  constructor(options: ReadinessCheckerOptions = {}) {
    super('ReadinessChecker', {
      gauge: 'readiness.status',
      histogram: 'readiness.check.duration',
      attribute: 'dependency',
      span: 'readiness.check',
      value: (s) => (s === 'unhealthy' ? 0 : 1),
    });
    brand(this, 'ReadinessChecker');
    if (options === null || typeof options !== 'object') {
      invalidArgument(`ReadinessChecker options must be an object, got ${describe(options)}`);
      options = {};
    }
    if (options.isolated !== true) {
      const shared = singleton('ReadinessChecker', () => this);
      if (shared !== this) return shared;
    }
  }

  addTcpDependency(name: string, host: string, port: number, options: DependencyOptions = {}): void {
    const owner = `ReadinessChecker.addTcpDependency("${String(name)}")`;
    if (!validName('ReadinessChecker.addTcpDependency', name)) return;
    if (typeof host !== 'string' || host === '') return invalidArgument(`${owner}: host must be a non-empty string, got ${describe(host)}`);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      return invalidArgument(`${owner}: port must be an integer 1..65535, got ${describe(port)}`);
    const o = this.options(owner, options);
    this.add({
      name,
      ...o,
      suppress: true,
      run: (signal) => tcpConnect(host, port, signal),
      details: { type: 'tcp', target: `${host}:${port}` },
    });
  }

  addHttpDependency(name: string, url: string, options: HttpDependencyOptions = {}): void {
    const owner = `ReadinessChecker.addHttpDependency("${String(name)}")`;
    if (!validName('ReadinessChecker.addHttpDependency', name)) return;
    const parsed = typeof url === 'string' ? parseUrl(url) : undefined;
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      return invalidArgument(
        `${owner}: url must be an http(s) URL, got ${typeof url === 'string' ? JSON.stringify(maskDsn(url).slice(0, 100)) : describe(url)}`,
      );
    }
    const o = this.options(owner, options);
    let expected: ExpectedStatus = options.expectedStatus;
    const okStatus = (v: unknown) => Number.isInteger(v) && (v as number) >= 100 && (v as number) <= 599;
    if (expected !== undefined && !(Array.isArray(expected) ? expected.length > 0 && expected.every(okStatus) : okStatus(expected))) {
      invalidArgument(`${owner}: expectedStatus must be an HTTP status or a list of them, got ${describe(expected)}; using any 2xx`);
      expected = undefined;
    }
    const shown = maskDsn(url);
    this.add({
      name,
      ...o,
      suppress: true,
      sanitize: scrubberFor(url),
      run: (signal) => httpGet(parsed, shown, expected, signal),
      details: { type: 'http', target: shown },
    });
  }

  /**
   * A real round trip: `SELECT 1` (PostgreSQL, `pg`), a ping (MySQL/MariaDB, `mysql2`), PING
   * (Redis, `ioredis`). Without the driver installed: a TCP connect, and the message says so.
   */
  addDatabaseDependency(name: string, connectionString: string, options: DependencyOptions = {}): void {
    const owner = `ReadinessChecker.addDatabaseDependency("${String(name)}")`;
    if (!validName('ReadinessChecker.addDatabaseDependency', name)) return;
    if (typeof connectionString !== 'string')
      return invalidArgument(`${owner}: connectionString must be a string, got ${describe(connectionString)}`);
    const sanitize = scrubberFor(connectionString);
    const o = this.options(owner, options);
    const url = parseUrl(connectionString);
    const db = url ? DATABASES[url.protocol] : undefined;
    if (!url || !db || !url.hostname) {
      const why =
        !url || !url.hostname
          ? 'is not a valid URL'
          : `has an unsupported scheme "${url.protocol}" (postgres, postgresql, mysql, mariadb, redis, rediss)`;
      invalidArgument(`${owner}: the connection string ${why}`);
      // Still registered, failing: silently dropping a dependency would report "ready" wrongly.
      this.add({ name, ...o, run: () => ({ status: 'unhealthy', message: `connection string ${why}` }) });
      return;
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = url.port ? Number(url.port) : db.port;
    const timeoutMs = o.timeoutMs;
    // Start loading the driver now: compiling pg or ioredis inside the first check would block
    // the event loop during that check's timeout window and delay every route's answer.
    void loadDriver<unknown>(db.driver);
    const run = async (signal: AbortSignal): Promise<ProbeOutcome> => {
      const mod = await loadDriver<unknown>(db.driver);
      if (signal.aborted) return { status: 'unhealthy', message: 'timed out' };
      if (mod === undefined) {
        const t = await tcpConnect(host, port, signal);
        return {
          ...t,
          message: `${t.message} (driver "${db.driver}" is not installed: TCP connect only; install ${db.driver} for a real check)`,
          details: { driver: null },
        };
      }
      if (db.kind === 'postgresql') return pgProbe(mod, url, timeoutMs, signal);
      if (db.kind === 'mysql') return mysqlProbe(mod, url, timeoutMs, signal);
      return redisProbe(mod, url, timeoutMs, signal);
    };
    this.add({
      name,
      ...o,
      suppress: true,
      sanitize,
      run,
      details: { type: db.kind, target: maskDsn(connectionString), driver: db.driver },
    });
  }

  /** True when no critical dependency fails (false at once while shutting down). */
  async isReady(): Promise<boolean> {
    if (isShuttingDown()) return false;
    return this.getOverallStatus(await this.currentResults()) !== 'unhealthy';
  }

  private options(owner: string, options: DependencyOptions): { timeoutMs: number; critical: boolean } {
    if (options === null || typeof options !== 'object') {
      invalidArgument(`${owner}: options must be an object, got ${describe(options)}`);
      options = {};
    }
    return { timeoutMs: validTimeout(owner, options.timeoutMs), critical: options.critical !== false };
  }
}

/** The process's default readiness checker (what `/health/ready` serves), for the package's own code. */
export function defaultReadinessChecker(): ReadinessChecker {
  return getState().singletons.ReadinessChecker ?? new ReadinessChecker();
}
