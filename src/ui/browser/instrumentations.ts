import { $, clear, el, hiddenRow, pill, td } from './dom.js';
import { state } from './state.js';
import type { InstrumentationView } from './types.js';

/** What a row's state pill says: running, enabled but its library not loaded (yet), failed, off. */
function stateOf(i: InstrumentationView): string {
  if (i.error) return 'failed';
  if (i.active) return i.loadedTooEarly?.length ? 'too early' : 'active';
  return i.enabled ? 'waiting' : 'off';
}
const ORDER = ['failed', 'too early', 'active', 'waiting', 'off'];

/** The instrumentations table: active ones first, each with the library versions it patched. */
export function renderInstrumentations(list: InstrumentationView[] | undefined): void {
  const tbody = $<HTMLTableElement>('instr-table').tBodies[0];
  if (!state.authorized || !list) {
    hiddenRow(tbody, 4);
    $('instr-note').textContent = '';
    return;
  }
  clear(tbody);
  const rows = list
    .map((i) => ({ i, s: stateOf(i) }))
    .sort((a, b) => ORDER.indexOf(a.s) - ORDER.indexOf(b.s) || (a.i.name < b.i.name ? -1 : 1));
  for (const { i, s } of rows) {
    const tr = el('tr');
    tr.setAttribute('data-instrumentation', i.name);
    tr.appendChild(td(i.name, 'mono'));
    const c = td();
    c.appendChild(pill(s));
    tr.appendChild(c);
    tr.appendChild(td(i.libraries.map((l) => (l.version ? `${l.name} ${l.version}` : l.name)).join(', '), 'mono'));
    const note = i.error
      ? `could not be loaded: ${i.error}`
      : i.loadedTooEarly?.length
        ? `loaded before register, not patched: ${i.loadedTooEarly.join(', ')}`
        : s === 'waiting'
          ? 'its library is not loaded'
          : (i.note ?? '');
    tr.appendChild(td(note, i.error || i.loadedTooEarly?.length ? 'err' : 'muted'));
    tbody.appendChild(tr);
  }
  const active = list.filter((i) => i.active).length;
  $('instr-note').textContent = `(${active} active of ${list.filter((i) => i.enabled).length} enabled; each loads with its library)`;
}
