// Everything shown is built with createElement + textContent: span names, attributes and
// log messages are user data and never reach an HTML parser.

/** An element of the page's static HTML shell (src/ui/browser/index.html), which has every id the script reads. */
export function $<T extends HTMLElement = HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

type Text = string | number | null | undefined;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string | null, text?: Text): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

export function td(text?: Text, cls?: string): HTMLTableCellElement {
  return el('td', cls, text);
}

export function clear(node: Node): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

export function pill(status: string): HTMLSpanElement {
  const p = el('span', 'pill', status);
  p.setAttribute('data-status', status);
  return p;
}

/** One row with one muted cell spanning `cols` columns. */
export function noteRow(tbody: HTMLTableSectionElement, text: string, cols: number): void {
  const tr = el('tr');
  const c = td(text, 'muted');
  c.colSpan = cols;
  tr.appendChild(c);
  tbody.appendChild(tr);
}

export function hiddenRow(tbody: HTMLTableSectionElement, cols: number): void {
  clear(tbody);
  noteRow(tbody, 'hidden: not authorized', cols);
}
