import { $, clear, el, hiddenRow, td } from './dom.js';
import { attrText, fmtMs, fmtNum } from './format.js';
import { sparkline } from './sparkline.js';
import { state } from './state.js';

/** The metrics table from the last fetched series, filtered by the search box. */
export function renderMetrics(): void {
  const tbody = $<HTMLTableElement>('metrics-table').tBodies[0];
  if (!state.authorized) {
    hiddenRow(tbody, 9);
    return;
  }
  clear(tbody);
  const f = $<HTMLInputElement>('metric-filter').value.trim().toLowerCase();
  let shown = 0;
  state.metrics.forEach((m) => {
    const attrs = attrText(m.attributes);
    if (f && (m.name + ' ' + attrs).toLowerCase().indexOf(f) < 0) return;
    shown++;
    const tr = el('tr');
    tr.setAttribute('data-metric', m.name);
    const name = td(m.name, 'mono');
    name.title = m.description || '';
    tr.appendChild(name);
    tr.appendChild(td(attrs, 'attrs'));
    tr.appendChild(td(m.type + (m.unit ? ' (' + m.unit + ')' : '')));
    const dist = m.p50 !== undefined; // the server sends percentiles for distributions only
    tr.appendChild(td(dist ? fmtNum(m.value) + ' obs' : fmtNum(m.value), 'num'));
    tr.appendChild(td(m.rate === undefined ? '' : fmtNum(m.rate), 'num'));
    tr.appendChild(td(dist ? fmtNum(m.p50) : '', 'num'));
    tr.appendChild(td(dist ? fmtNum(m.p95) : '', 'num'));
    tr.appendChild(td(dist ? fmtNum(m.p99) : '', 'num'));
    const h = td();
    h.appendChild(sparkline(m.history || []));
    tr.appendChild(h);
    tbody.appendChild(tr);
  });
  $('metrics-note').textContent =
    '(' +
    shown +
    ' of ' +
    state.metrics.length +
    ' series' +
    (state.totalSeries > state.metrics.length ? ' listed, of ' + state.totalSeries + ' (all on /metrics)' : '') +
    '; history: ' +
    state.times.length +
    ' samples every ' +
    fmtMs(state.sampleMs) +
    ')';
}
