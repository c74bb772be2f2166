import { $, clear, el, hiddenRow, noteRow, td } from './dom.js';
import { fmtNum } from './format.js';
import { state } from './state.js';
import { selectTrace } from './traces.js';
import type { LatencyReply } from './types.js';

/** The zPages-style table: per span name, counts per latency bucket and errors. */
export function renderLatency(data: LatencyReply): void {
  const table = $<HTMLTableElement>('latency-table');
  const thead = table.createTHead();
  const tbody = table.tBodies[0];
  clear(thead);
  clear(tbody);
  if (!state.authorized) {
    hiddenRow(tbody, 11);
    return;
  }
  const hr = el('tr');
  hr.appendChild(el('th', null, 'span name'));
  data.buckets.forEach((b) => hr.appendChild(el('th', 'num', b)));
  hr.appendChild(el('th', 'num', 'errors'));
  thead.appendChild(hr);
  if (data.rows.length === 0) noteRow(tbody, 'no spans yet', 11);
  data.rows.forEach((row) => {
    const tr = el('tr');
    tr.setAttribute('data-span-name', row.name);
    tr.appendChild(td(row.name, 'mono'));
    row.counts.forEach((n, i) => tr.appendChild(countCell(n, row.samples[i], 'num')));
    tr.appendChild(countCell(row.errors, row.errorSamples, row.errors ? 'num err' : 'num'));
    tbody.appendChild(tr);
  });
}

/** A count; with example traces kept, a button that opens the first. */
function countCell(n: number, samples: string[] | undefined, cls: string): HTMLTableCellElement {
  const c = td(null, cls);
  if (n > 0 && samples && samples.length > 0) {
    const b = el('button', 'link', fmtNum(n));
    b.type = 'button';
    b.title = samples.length + ' example trace(s) kept';
    b.addEventListener('click', () => selectTrace(samples[0]));
    c.appendChild(b);
  } else c.textContent = n > 0 ? fmtNum(n) : '';
  return c;
}
