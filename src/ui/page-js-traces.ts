// The traces part of the status page script: latency table, trace list, waterfall, logs.
export const APP_TRACES_JS = String.raw`var KIND = ['internal', 'server', 'client', 'producer', 'consumer'];

function renderLatency(data) {
  var table = $('latency-table');
  var thead = table.tHead, tbody = table.tBodies[0];
  clear(thead); clear(tbody);
  if (!S.authorized) { hiddenRow(tbody, 11); return; }
  var hr = el('tr'); hr.appendChild(el('th', null, 'span name'));
  data.buckets.forEach(function (b) { hr.appendChild(el('th', 'num', b)); });
  hr.appendChild(el('th', 'num', 'errors')); thead.appendChild(hr);
  if (data.rows.length === 0) { var tr0 = el('tr'); var c0 = td('no spans yet', 'muted'); c0.colSpan = 11; tr0.appendChild(c0); tbody.appendChild(tr0); }
  data.rows.forEach(function (row) {
    var tr = el('tr'); tr.setAttribute('data-span-name', row.name);
    tr.appendChild(td(row.name, 'mono'));
    row.counts.forEach(function (n, i) { tr.appendChild(countCell(n, row.samples[i], 'num')); });
    tr.appendChild(countCell(row.errors, row.errorSamples, row.errors ? 'num err' : 'num'));
    tbody.appendChild(tr);
  });
}

function countCell(n, samples, cls) {
  var c = td(null, cls);
  if (n > 0 && samples && samples.length > 0) {
    var b = el('button', 'link', fmtNum(n));
    b.type = 'button';
    b.title = samples.length + ' example trace(s) kept';
    b.addEventListener('click', function () { selectTrace(samples[0]); });
    c.appendChild(b);
  } else c.textContent = n > 0 ? fmtNum(n) : '';
  return c;
}

function renderTraces(data) {
  var tbody = $('traces-table').tBodies[0];
  if (!S.authorized) { hiddenRow(tbody, 6); return; }
  clear(tbody);
  $('traces-note').textContent = '(' + data.traces.length + ' shown; ' + data.keptSpans + ' of max ' + data.capacitySpans + ' spans kept)';
  data.traces.forEach(function (t) {
    var tr = el('tr', 'clickable' + (t.traceId === S.selected ? ' selected' : ''));
    tr.setAttribute('data-trace-id', t.traceId);
    tr.appendChild(td(fmtTime(t.startTimeMs)));
    tr.appendChild(td(t.rootName + (t.complete ? '' : ' (root not ended)'), 'mono'));
    tr.appendChild(td(fmtMs(t.durationMs), 'num'));
    tr.appendChild(td(t.spanCount, 'num'));
    var s = td(); s.appendChild(pill(t.status)); if (t.sampled) s.appendChild(el('span', 'muted', ' example'));
    if (t.partial) s.appendChild(el('span', 'muted', ' partial')); tr.appendChild(s);
    tr.appendChild(td(t.traceId, 'mono muted'));
    tr.addEventListener('click', function () { selectTrace(t.traceId); });
    tbody.appendChild(tr);
  });
}

function selectTrace(id) {
  S.selected = id;
  Array.prototype.forEach.call(document.querySelectorAll('#traces-table tr[data-trace-id]'), function (r) {
    r.classList.toggle('selected', r.getAttribute('data-trace-id') === id);
  });
  getJSON('api/trace?id=' + encodeURIComponent(id)).then(function (r) {
    var box = $('trace-detail');
    box.hidden = false;
    $('trace-id').textContent = id;
    var wf = $('waterfall'); clear(wf);
    var logs = $('trace-logs').tBodies[0]; clear(logs);
    if (r.status !== 200 || !r.body.authorized) {
      wf.appendChild(el('div', 'muted', r.body.message || 'not available'));
      return;
    }
    renderWaterfall(wf, r.body.spans);
    renderLogs(logs, r.body.logs);
    box.scrollIntoView({ block: 'nearest' });
  }).catch(function () { $('conn').textContent = 'connection lost'; });
}

function renderWaterfall(wf, spans) {
  if (spans.length === 0) { wf.appendChild(el('div', 'muted', 'no spans kept for this trace')); return; }
  var byId = {}, kids = {}, roots = [];
  spans.forEach(function (s) { byId[s.spanId] = s; });
  spans.forEach(function (s) {
    if (s.parentSpanId && byId[s.parentSpanId]) (kids[s.parentSpanId] = kids[s.parentSpanId] || []).push(s);
    else roots.push(s);
  });
  var t0 = Infinity, t1 = -Infinity;
  spans.forEach(function (s) { t0 = Math.min(t0, s.startTimeMs); t1 = Math.max(t1, s.startTimeMs + s.durationMs); });
  var total = Math.max(t1 - t0, 1e-6);
  var byStart = function (a, b) { return a.startTimeMs - b.startTimeMs; };
  function row(s, depth) {
    var r = el('div', 'wf-row' + (s.status.code === 2 ? ' error' : ''));
    r.setAttribute('data-span-id', s.spanId);
    r.setAttribute('data-parent-id', s.parentSpanId || '');
    r.setAttribute('data-depth', String(depth));
    var name = el('div', 'wf-name', s.name);
    name.style.paddingLeft = (8 + depth * 16) + 'px';
    name.title = s.name + ' (' + (KIND[s.kind] || s.kind) + (s.scope ? ', ' + s.scope : '') + ')';
    var track = el('div', 'wf-track');
    var bar = el('div', 'wf-bar');
    bar.style.left = (((s.startTimeMs - t0) / total) * 100).toFixed(3) + '%';
    bar.style.width = Math.max((s.durationMs / total) * 100, 0.2).toFixed(3) + '%';
    track.appendChild(bar);
    r.appendChild(name); r.appendChild(track); r.appendChild(el('div', 'wf-dur', fmtMs(s.durationMs)));
    var detail = null;
    r.addEventListener('click', function () {
      if (detail) { detail.remove(); detail = null; return; }
      detail = spanDetail(s, t0);
      r.after(detail);
    });
    wf.appendChild(r);
    (kids[s.spanId] || []).sort(byStart).forEach(function (k) { row(k, depth + 1); });
  }
  roots.sort(byStart).forEach(function (s) { row(s, 0); });
}

function kvTable(obj) {
  var t = el('table', 'grid'); var b = el('tbody'); t.appendChild(b);
  Object.keys(obj || {}).forEach(function (k) {
    var tr = el('tr'); tr.appendChild(td(k, 'mono'));
    var v = obj[k]; tr.appendChild(td(typeof v === 'string' ? v : JSON.stringify(v), 'mono')); b.appendChild(tr);
  });
  return t;
}

function spanDetail(s, t0) {
  var d = el('div', 'wf-detail');
  d.setAttribute('data-detail-for', s.spanId);
  d.appendChild(el('div', 'muted', 'span ' + s.spanId + ' · ' + (KIND[s.kind] || s.kind) + ' · starts +' + fmtMs(s.startTimeMs - t0) +
    ' · status ' + ['unset', 'ok', 'error'][s.status.code] + (s.status.message ? ': ' + s.status.message : '')));
  d.appendChild(el('h3', null, 'Attributes'));
  d.appendChild(kvTable(s.attributes));
  if (s.events.length) d.appendChild(el('h3', null, 'Events'));
  s.events.forEach(function (e) {
    var a = e.attributes || {};
    var box = el('div', e.name === 'exception' ? 'exception' : 'event');
    box.appendChild(el('div', 'mono', '+' + fmtMs(e.timeMs - t0) + ' ' + e.name));
    if (e.name === 'exception') {
      box.appendChild(el('div', null, String(a['exception.type'] || '') + ': ' + String(a['exception.message'] || '')));
      if (a['exception.stacktrace']) box.appendChild(el('pre', null, a['exception.stacktrace']));
    } else if (Object.keys(a).length) box.appendChild(kvTable(a));
    d.appendChild(box);
  });
  return d;
}

function renderLogs(tbody, logs) {
  if (!logs.length) { var tr0 = el('tr'); var c = td('no log lines recorded under this trace', 'muted'); c.colSpan = 5; tr0.appendChild(c); tbody.appendChild(tr0); return; }
  logs.forEach(function (l) {
    var tr = el('tr'); tr.setAttribute('data-log', '1');
    tr.appendChild(td(fmtTime(l.time), 'mono'));
    tr.appendChild(td(l.level, 'lvl-' + String(l.level).toLowerCase()));
    tr.appendChild(td(l.msg, 'log-msg'));
    tr.appendChild(td(l.spanId || '', 'mono muted'));
    var f = {}; Object.keys(l.fields || {}).forEach(function (k) { if (k !== 'trace_id' && k !== 'span_id' && k !== 'trace_flags') f[k] = l.fields[k]; });
    tr.appendChild(td(attrText(f), 'attrs'));
    tbody.appendChild(tr);
  });
}
`;
