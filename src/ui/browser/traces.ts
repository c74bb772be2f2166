import { $, clear, el, hiddenRow, pill, td } from './dom.js';
import { fmtMs, fmtTime } from './format.js';
import { getJSON, state } from './state.js';
import { renderLogs, renderWaterfall } from './trace-detail.js';
import type { TraceReply, TracesReply } from './types.js';

/** The recent traces list; a click on a row opens that trace. */
export function renderTraces(data: TracesReply): void {
  const tbody = $<HTMLTableElement>('traces-table').tBodies[0];
  if (!state.authorized) {
    hiddenRow(tbody, 6);
    return;
  }
  clear(tbody);
  $('traces-note').textContent = '(' + data.traces.length + ' shown; ' + data.keptSpans + ' of max ' + data.capacitySpans + ' spans kept)';
  data.traces.forEach((t) => {
    const tr = el('tr', 'clickable' + (t.traceId === state.selected ? ' selected' : ''));
    tr.setAttribute('data-trace-id', t.traceId);
    tr.appendChild(td(fmtTime(t.startTimeMs)));
    tr.appendChild(td(t.rootName + (t.complete ? '' : ' (root not ended)'), 'mono'));
    tr.appendChild(td(fmtMs(t.durationMs), 'num'));
    tr.appendChild(td(t.spanCount, 'num'));
    const s = td();
    s.appendChild(pill(t.status));
    if (t.sampled) s.appendChild(el('span', 'muted', ' example'));
    if (t.partial) s.appendChild(el('span', 'muted', ' partial'));
    tr.appendChild(s);
    tr.appendChild(td(t.traceId, 'mono muted'));
    tr.addEventListener('click', () => selectTrace(t.traceId));
    tbody.appendChild(tr);
  });
}

/** Marks trace `id` in the list and shows its waterfall and log lines below it. */
export function selectTrace(id: string): void {
  state.selected = id;
  document.querySelectorAll('#traces-table tr[data-trace-id]').forEach((r) => {
    r.classList.toggle('selected', r.getAttribute('data-trace-id') === id);
  });
  getJSON<TraceReply>('api/trace?id=' + encodeURIComponent(id))
    .then((r) => {
      const box = $('trace-detail');
      box.hidden = false;
      $('trace-id').textContent = id;
      const wf = $('waterfall');
      clear(wf);
      const logs = $<HTMLTableElement>('trace-logs').tBodies[0];
      clear(logs);
      if (r.status !== 200 || !r.body.authorized) {
        wf.appendChild(el('div', 'muted', r.body.message || 'not available'));
        return;
      }
      renderWaterfall(wf, r.body.spans);
      renderLogs(logs, r.body.logs);
      box.scrollIntoView({ block: 'nearest' });
    })
    .catch(() => {
      $('conn').textContent = 'connection lost';
    });
}
