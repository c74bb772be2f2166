import { getState, singleton } from '../state.js';
import { brand, isBranded } from '../util/brand.js';
import { describe, invalidArgument } from '../util/report.js';
import { CheckRegistry, validName, validTimeout } from './registry.js';
import {
  defaultThresholds,
  diskCheck,
  eventLoopCheck,
  memoryCheck,
  startLoopMonitor,
  systemResourcesCheck,
  type DefaultCheckThresholds,
} from './defaults.js';
import { statusValue, type CheckFunction, type CheckOptions } from './status.js';

export type ThresholdOverrides = {
  [K in keyof DefaultCheckThresholds]?: K extends 'diskPath' ? string : Partial<DefaultCheckThresholds[K]>;
};

export interface HealthCheckerOptions {
  /** A private checker, not the process's default one. */
  isolated?: boolean;
  /** Register the default checks (system_resources, memory, disk, event_loop). Default true. */
  defaultChecks?: boolean;
  /** Override the default checks' thresholds. */
  thresholds?: ThresholdOverrides;
}

/** The default event-loop check's name; `/health/live` reports its latest status. */
export const EVENT_LOOP_CHECK = 'event_loop';

/**
 * Health of the process: the default checks plus the app's own. `new HealthChecker()` returns
 * the process's default checker (the one `/health` serves) unless `{ isolated: true }`.
 */
export class HealthChecker extends CheckRegistry {
  static override [Symbol.hasInstance](x: unknown): boolean {
    return isBranded(this, HealthChecker, 'HealthChecker', x);
  }

  private thresholds!: DefaultCheckThresholds;

  constructor(options: HealthCheckerOptions = {}) {
    super('HealthChecker', {
      gauge: 'health.check.status',
      histogram: 'health.check.duration',
      attribute: 'check',
      span: 'health.check',
      value: statusValue,
    });
    brand(this, 'HealthChecker');
    if (options === null || typeof options !== 'object') {
      invalidArgument(`HealthChecker options must be an object, got ${describe(options)}`);
      options = {};
    }
    if (options.isolated !== true) {
      const shared = singleton('HealthChecker', () => this);
      if (shared !== this) {
        if (options.thresholds !== undefined) shared.setThresholds(options.thresholds);
        return shared;
      }
    }
    this.thresholds = defaultThresholds();
    if (options.thresholds !== undefined) this.setThresholds(options.thresholds);
    if (options.defaultChecks !== false) this.registerDefaultChecks();
  }

  /**
   * Register (or replace) a check. `fn` may be sync or async and return a HealthCheckResult,
   * a partial one (`{ status, message?, details? }`) or a boolean. A check that throws,
   * rejects, returns anything else or runs past `timeoutMs` is UNHEALTHY.
   */
  registerCheck(name: string, fn: CheckFunction, options: CheckOptions = {}): void {
    if (!validName('HealthChecker.registerCheck', name)) return;
    if (typeof fn !== 'function')
      return invalidArgument(`HealthChecker.registerCheck("${name}"): fn must be a function, got ${describe(fn)}`);
    if (options === null || typeof options !== 'object') {
      invalidArgument(`HealthChecker.registerCheck("${name}"): options must be an object, got ${describe(options)}`);
      options = {};
    }
    if (options.critical !== undefined && typeof options.critical !== 'boolean') {
      invalidArgument(`HealthChecker.registerCheck("${name}"): critical must be a boolean, got ${describe(options.critical)}`);
    }
    this.add({
      name,
      run: () => fn(),
      timeoutMs: validTimeout(`HealthChecker.registerCheck("${name}")`, options.timeoutMs),
      critical: options.critical !== false,
    });
  }

  /** Change the default checks' thresholds (merged into the current ones). */
  setThresholds(overrides: ThresholdOverrides): void {
    if (overrides === null || typeof overrides !== 'object') {
      return invalidArgument(`HealthChecker thresholds must be an object, got ${describe(overrides)}`);
    }
    const t = this.thresholds;
    for (const [key, value] of Object.entries(overrides)) {
      if (key === 'diskPath') {
        if (typeof value === 'string' && value) t.diskPath = value;
        else invalidArgument(`HealthChecker thresholds.diskPath must be a non-empty string, got ${describe(value)}`);
        continue;
      }
      if (!(key in t) || value === null || typeof value !== 'object') {
        invalidArgument(`HealthChecker thresholds.${key}: unknown threshold or not { degraded, unhealthy }`);
        continue;
      }
      const limits = t[key as Exclude<keyof DefaultCheckThresholds, 'diskPath'>];
      for (const level of ['degraded', 'unhealthy'] as const) {
        const v = (value as Record<string, unknown>)[level];
        if (v === undefined) continue;
        if (typeof v === 'number' && Number.isFinite(v)) limits[level] = v;
        else invalidArgument(`HealthChecker thresholds.${key}.${level} must be a finite number, got ${describe(v)}`);
      }
    }
  }

  private registerDefaultChecks(): void {
    startLoopMonitor();
    const t = () => this.thresholds;
    // Load is shared with everything else on the host, so it can only make the whole DEGRADED.
    this.add({ name: 'system_resources', run: () => systemResourcesCheck(t()), timeoutMs: 2000, critical: false });
    this.add({ name: 'memory', run: () => memoryCheck(t()), timeoutMs: 2000, critical: true });
    this.add({ name: 'disk', run: () => diskCheck(t()), timeoutMs: 2000, critical: true });
    this.add({ name: EVENT_LOOP_CHECK, run: () => eventLoopCheck(t()), timeoutMs: 2000, critical: true });
  }
}

/** The process's default health checker (what `/health` serves), for the package's own code. */
export function defaultHealthChecker(): HealthChecker {
  return getState().singletons.HealthChecker ?? new HealthChecker();
}
