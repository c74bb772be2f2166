import { $, clear, el, noteRow, pill, td } from './dom.js';
import { fmtAge, fmtMs } from './format.js';
import { state } from './state.js';
import { renderInstrumentations } from './instrumentations.js';
import { renderConfiguration } from './configuration.js';
import type { CheckView, Overview } from './types.js';

function renderChecks(tbody: HTMLTableSectionElement, checks: Record<string, CheckView> | undefined, withTarget: boolean): void {
  clear(tbody);
  const names = Object.keys(checks || {});
  if (!checks || names.length === 0) {
    noteRow(tbody, 'none registered', withTarget ? 6 : 5);
    return;
  }
  names.forEach((name) => {
    const r = checks[name];
    const tr = el('tr');
    tr.setAttribute('data-check', name);
    tr.appendChild(td(name, 'mono'));
    const s = td();
    s.appendChild(pill(r.status));
    tr.appendChild(s);
    tr.appendChild(td(r.message !== undefined ? r.message : state.authorized ? '' : 'hidden'));
    if (withTarget) tr.appendChild(td(r.details && r.details.target !== undefined ? String(r.details.target) : '', 'mono'));
    tr.appendChild(td(fmtMs(r.duration_ms), 'num'));
    tr.appendChild(td(fmtAge(r.age_seconds), 'num'));
    tbody.appendChild(tr);
  });
}

/** The header (service, badges) and the health and readiness tables. */
export function renderOverview(o: Overview): void {
  state.authorized = o.authorized === true;
  if (o.ui && o.ui.refreshMs) state.refreshMs = o.ui.refreshMs;
  $('auth-banner').hidden = state.authorized;
  $('auth-how').textContent = o.howToAuthorize || '';
  const hb = $('health-badge');
  hb.textContent = 'health: ' + o.health.status;
  hb.setAttribute('data-status', o.health.status);
  const rb = $('ready-badge');
  rb.textContent = 'readiness: ' + o.readiness.status;
  rb.setAttribute('data-status', o.readiness.status);
  if (o.service) {
    $('svc-name').textContent = String(o.service.name);
    document.title = String(o.service.name) + ' — status';
    const meta: string[] = [];
    if (o.service.version) meta.push('v' + String(o.service.version));
    if (o.service.environment) meta.push(String(o.service.environment));
    meta.push('up ' + fmtAge(o.uptimeSeconds));
    $('svc-meta').textContent = meta.join(' · ');
  } else {
    $('svc-meta').textContent = '';
  }
  renderChecks($<HTMLTableElement>('health-table').tBodies[0], o.health.checks, false);
  renderChecks($<HTMLTableElement>('ready-table').tBodies[0], o.readiness.checks, true);
  renderInstrumentations(o.instrumentations);
  renderConfiguration(o.configuration);
}
