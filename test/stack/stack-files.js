// Readers shared by the stack tests: the compose file, the collector config, the dashboards.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ROOT } from '../helpers.js';

export const DASHBOARD_DIR = path.join(ROOT, 'grafana/dashboards');

export function readYaml(rel) {
  return YAML.parse(fs.readFileSync(path.join(ROOT, rel), 'utf8'));
}

/** Every provisioned dashboard: `{ file, json }`. */
export function loadDashboards() {
  return fs
    .readdirSync(DASHBOARD_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, json: JSON.parse(fs.readFileSync(path.join(DASHBOARD_DIR, file), 'utf8')) }));
}

/** Panels, rows flattened. */
export function panelsOf(dashboard) {
  return (dashboard.panels ?? []).flatMap((p) => (p.type === 'row' ? (p.panels ?? []) : [p]));
}

/** Each query of each panel: `{ dashboard, panel, refId, uid, expr }`; uid falls back to the panel's. */
export function panelQueries(dashboards) {
  const out = [];
  for (const { json } of dashboards) {
    for (const panel of panelsOf(json)) {
      for (const t of panel.targets ?? []) {
        out.push({
          dashboard: json.title,
          panel: panel.title,
          refId: t.refId,
          uid: t.datasource?.uid ?? panel.datasource?.uid,
          expr: t.expr,
        });
      }
    }
  }
  return out;
}

/** Grafana's template variables replaced by concrete values, as Grafana would at query time. */
export function concreteQuery(expr, vars) {
  return expr
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$__interval', '1m')
    .replaceAll('$__range', '5m')
    .replace(/\$\{?(\w+)\}?/g, (m, name) => (name in vars ? vars[name] : m));
}

/**
 * The label matchers of a PromQL expression that name values: `{ metric, label, op, alternatives }`
 * per `=` / `=~` matcher (a regex split on its top-level `|`), so each can be checked against
 * what an app really exposes. `!=` / `!~` select by absence and are left out.
 */
export function valueMatchers(expr) {
  const out = [];
  for (const sel of expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)?\{([^}]*)\}/g)) {
    for (const m of sel[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g)) {
      const [, label, op, raw] = m;
      if (op === '!=' || op === '!~') continue;
      const value = JSON.parse(`"${raw}"`);
      out.push({ metric: sel[1], label, op, alternatives: op === '=' ? [value] : splitAlternatives(value) });
    }
  }
  return out;
}

/** `a|b(c|d)|e` -> ['a', 'b(c|d)', 'e']: bars inside groups or classes are not top-level. */
function splitAlternatives(re) {
  const out = [];
  let depth = 0;
  let inClass = false;
  let cur = '';
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') {
      cur += c + (re[++i] ?? '');
      continue;
    }
    if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out;
}
