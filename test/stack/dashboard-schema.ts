// The shape a provisioned dashboard JSON must have: @grafana/schema's `Dashboard`, with its
// TypeScript enums (ThresholdsMode, FieldColorModeId, ...) replaced by their string values,
// since a JSON file can only hold the value, never the enum member.
//
// Why not `const d: Dashboard = json` with resolveJsonModule: TS widens every string of an
// imported JSON to `string` (so no enum or literal union ever matches) and skips excess-
// property checks on non-literal values (so a misspelt key passes). Instead
// test/stack/dashboards.test.js writes each JSON as a literal:
//   export const d = <json> as const satisfies DashboardJson;
// which checks literal values and rejects unknown keys, and compiles it with tsc.
import type { Dashboard } from '@grafana/schema';

export type Lit<T> = T extends string
  ? `${T}`
  : T extends number | boolean | null | undefined
    ? T
    : T extends ReadonlyArray<infer U>
      ? ReadonlyArray<Lit<U>>
      : T extends object
        ? { readonly [K in keyof T]: Lit<T[K]> }
        : T;

export type DashboardJson = Lit<Dashboard>;
