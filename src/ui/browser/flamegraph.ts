// An icicle flame graph drawn with positioned elements (CSSOM positions are allowed by the page's
// CSP, unlike inline style attributes): the root on top, callees below, width = share of the
// value. Names go in with textContent only. A click zooms into a frame (its ancestors stay as
// full-width bars above it; a click on one of them zooms out); the search marks matching frames
// and says what share of the total they hold.
import { clear, el } from './dom.js';
import type { Frame } from './flame-data.js';

const ROW_PX = 18;
/** Frames narrower than this share of the view are not drawn (they would be unreadable slivers). */
const MIN_SHARE = 0.002;

export interface FlameView {
  /** Redraw marking frames whose name or location contains `query` (case-insensitive); returns the matched share 0..1. */
  search(query: string): number;
}

export function drawFlame(box: HTMLElement, root: Frame, fmt: (v: number) => string, detail: HTMLElement): FlameView {
  let zoom: Frame[] = [root];
  let query = '';
  const matches = (f: Frame) => query !== '' && (f.name.toLowerCase().indexOf(query) >= 0 || f.where.toLowerCase().indexOf(query) >= 0);

  function bar(f: Frame, depth: number, left: number, width: number, path: Frame[]): void {
    const d = el('div', 'fl-frame fl-' + f.kind + (matches(f) ? ' match' : query ? ' dim' : ''));
    d.style.left = (left * 100).toFixed(4) + '%';
    d.style.width = (width * 100).toFixed(4) + '%';
    d.style.top = depth * ROW_PX + 'px';
    d.setAttribute('data-name', f.name);
    d.appendChild(el('span', null, f.name));
    const share = root.total > 0 ? ((f.total / root.total) * 100).toFixed(1) + ' %' : '';
    d.title = f.name + (f.where ? '  ' + f.where : '') + '\n' + fmt(f.total) + ' (' + share + '), self ' + fmt(f.self);
    d.addEventListener('mouseenter', () => (detail.textContent = d.title.replace('\n', ' · ')));
    d.addEventListener('click', () => {
      zoom = path.concat([f]);
      render();
    });
    box.appendChild(d);
  }

  function render(): void {
    clear(box);
    let depth = 0;
    // The zoomed frame's ancestors: full width, a click on one zooms out to it.
    zoom.forEach((f, i) => bar(f, depth++, 0, 1, zoom.slice(0, i)));
    const top = zoom[zoom.length - 1];
    let maxDepth = depth;
    const walk = (f: Frame, d: number, left: number, path: Frame[]) => {
      let x = left;
      f.children.forEach((c) => {
        const w = top.total > 0 ? c.total / top.total : 0;
        if (w >= MIN_SHARE) {
          bar(c, d, x, w, path);
          maxDepth = Math.max(maxDepth, d + 1);
          walk(c, d + 1, x, path.concat([c]));
        }
        x += w;
      });
    };
    walk(top, depth, 0, zoom.slice());
    box.style.height = maxDepth * ROW_PX + 'px';
  }

  /** The share of the total in matching frames, counting a match inside another match once. */
  function matchedShare(f: Frame): number {
    if (matches(f)) return f.total;
    let sum = 0;
    f.children.forEach((c) => (sum += matchedShare(c)));
    return sum;
  }

  render();
  return {
    search(q: string): number {
      query = q.trim().toLowerCase();
      render();
      return root.total > 0 && query ? matchedShare(root) / root.total : 0;
    },
  };
}
