import { $, clear, el, hiddenRow, td } from './dom.js';
import { state } from './state.js';
import type { ConfigurationView } from './types.js';

/** The configuration table: each part, where it came from, its settings (credentials already hidden by the server). */
export function renderConfiguration(c: ConfigurationView | undefined): void {
  const tbody = $<HTMLTableElement>('config-table').tBodies[0];
  const note = $('config-note');
  if (!state.authorized || !c) {
    hiddenRow(tbody, 3);
    note.textContent = '';
    return;
  }
  clear(tbody);
  note.textContent = c.invalid
    ? `(invalid file: ${c.invalid})`
    : c.source === 'file'
      ? `(from ${c.file ?? 'a file'}${c.warnings.length ? `; ${c.warnings.length} warning${c.warnings.length > 1 ? 's' : ''}` : ''})`
      : '(from the environment)';
  note.className = c.invalid ? 'err' : 'muted';
  for (const [name, part] of Object.entries(c.parts)) {
    const tr = el('tr');
    tr.setAttribute('data-config-part', name);
    tr.appendChild(td(name, 'mono'));
    tr.appendChild(td(part.origin, 'muted'));
    const v = td();
    v.appendChild(el('pre', 'mono config-value', JSON.stringify(part.value, null, 1)));
    tr.appendChild(v);
    tbody.appendChild(tr);
  }
  for (const w of c.warnings) {
    const tr = el('tr');
    const cell = td(w, 'muted');
    cell.colSpan = 3;
    tr.appendChild(cell);
    tbody.appendChild(tr);
  }
}
