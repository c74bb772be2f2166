// One trace: its spans as a waterfall (a click on a span shows its attributes and events) and
// the log lines recorded under it.
import { el, noteRow, td } from './dom.js';
import { attrText, fmtMs, fmtTime } from './format.js';
import type { LogLine, SpanView } from './types.js';

/** OTel SpanKind by its numeric value. */
const KIND = ['internal', 'server', 'client', 'producer', 'consumer'];

export function renderWaterfall(wf: HTMLElement, spans: SpanView[]): void {
  if (spans.length === 0) {
    wf.appendChild(el('div', 'muted', 'no spans kept for this trace'));
    return;
  }
  const byId: Record<string, SpanView> = {};
  const kids: Record<string, SpanView[]> = {};
  const roots: SpanView[] = [];
  spans.forEach((s) => {
    byId[s.spanId] = s;
  });
  spans.forEach((s) => {
    if (s.parentSpanId && byId[s.parentSpanId]) (kids[s.parentSpanId] = kids[s.parentSpanId] || []).push(s);
    else roots.push(s);
  });
  let t0 = Infinity;
  let t1 = -Infinity;
  spans.forEach((s) => {
    t0 = Math.min(t0, s.startTimeMs);
    t1 = Math.max(t1, s.startTimeMs + s.durationMs);
  });
  const total = Math.max(t1 - t0, 1e-6);
  const byStart = (a: SpanView, b: SpanView): number => a.startTimeMs - b.startTimeMs;
  function row(s: SpanView, depth: number): void {
    const r = el('div', 'wf-row' + (s.status.code === 2 ? ' error' : ''));
    r.setAttribute('data-span-id', s.spanId);
    r.setAttribute('data-parent-id', s.parentSpanId || '');
    r.setAttribute('data-depth', String(depth));
    const name = el('div', 'wf-name', s.name);
    name.style.paddingLeft = 8 + depth * 16 + 'px';
    name.title = s.name + ' (' + (KIND[s.kind] || s.kind) + (s.scope ? ', ' + s.scope : '') + ')';
    const track = el('div', 'wf-track');
    const bar = el('div', 'wf-bar');
    bar.style.left = (((s.startTimeMs - t0) / total) * 100).toFixed(3) + '%';
    bar.style.width = Math.max((s.durationMs / total) * 100, 0.2).toFixed(3) + '%';
    track.appendChild(bar);
    r.appendChild(name);
    r.appendChild(track);
    r.appendChild(el('div', 'wf-dur', fmtMs(s.durationMs)));
    let detail: HTMLElement | null = null;
    r.addEventListener('click', () => {
      if (detail) {
        detail.remove();
        detail = null;
        return;
      }
      detail = spanDetail(s, t0);
      r.after(detail);
    });
    wf.appendChild(r);
    (kids[s.spanId] || []).sort(byStart).forEach((k) => row(k, depth + 1));
  }
  roots.sort(byStart).forEach((s) => row(s, 0));
}

function kvTable(obj: Record<string, unknown>): HTMLTableElement {
  const t = el('table', 'grid');
  const b = el('tbody');
  t.appendChild(b);
  Object.keys(obj || {}).forEach((k) => {
    const tr = el('tr');
    tr.appendChild(td(k, 'mono'));
    const v = obj[k];
    tr.appendChild(td(typeof v === 'string' ? v : JSON.stringify(v), 'mono'));
    b.appendChild(tr);
  });
  return t;
}

function spanDetail(s: SpanView, t0: number): HTMLDivElement {
  const d = el('div', 'wf-detail');
  d.setAttribute('data-detail-for', s.spanId);
  const status = ['unset', 'ok', 'error'][s.status.code] + (s.status.message ? ': ' + s.status.message : '');
  d.appendChild(
    el(
      'div',
      'muted',
      'span ' + s.spanId + ' · ' + (KIND[s.kind] || s.kind) + ' · starts +' + fmtMs(s.startTimeMs - t0) + ' · status ' + status,
    ),
  );
  d.appendChild(el('h3', null, 'Attributes'));
  d.appendChild(kvTable(s.attributes));
  if (s.events.length) d.appendChild(el('h3', null, 'Events'));
  s.events.forEach((e) => {
    const a = e.attributes || {};
    const box = el('div', e.name === 'exception' ? 'exception' : 'event');
    box.appendChild(el('div', 'mono', '+' + fmtMs(e.timeMs - t0) + ' ' + e.name));
    if (e.name === 'exception') {
      box.appendChild(el('div', null, String(a['exception.type'] || '') + ': ' + String(a['exception.message'] || '')));
      if (a['exception.stacktrace']) box.appendChild(el('pre', null, String(a['exception.stacktrace'])));
    } else if (Object.keys(a).length) box.appendChild(kvTable(a));
    d.appendChild(box);
  });
  return d;
}

/** The trace's log lines, without the correlation fields every one of them carries. */
export function renderLogs(tbody: HTMLTableSectionElement, logs: LogLine[]): void {
  if (!logs.length) {
    noteRow(tbody, 'no log lines recorded under this trace', 5);
    return;
  }
  logs.forEach((l) => {
    const tr = el('tr');
    tr.setAttribute('data-log', '1');
    tr.appendChild(td(fmtTime(l.time), 'mono'));
    tr.appendChild(td(l.level, 'lvl-' + String(l.level).toLowerCase()));
    tr.appendChild(td(l.msg, 'log-msg'));
    tr.appendChild(td(l.spanId || '', 'mono muted'));
    const fields = l.fields || {};
    const f: Record<string, unknown> = {};
    Object.keys(fields).forEach((k) => {
      if (k !== 'trace_id' && k !== 'span_id' && k !== 'trace_flags') f[k] = fields[k];
    });
    tr.appendChild(td(attrText(f), 'attrs'));
    tbody.appendChild(tr);
  });
}
