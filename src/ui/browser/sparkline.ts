import { fmtNum } from './format.js';

const NS = 'http://www.w3.org/2000/svg';

/** A 140x26 SVG polyline of `values` (nulls skipped), scaled between their min and max. */
export function sparkline(values: (number | null)[]): SVGSVGElement {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('viewBox', '0 0 140 26');
  svg.setAttribute('preserveAspectRatio', 'none');
  const pts: string[] = [];
  const n = values.length;
  let lo = Infinity;
  let hi = -Infinity;
  values.forEach((v) => {
    if (v !== null) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  });
  values.forEach((v, i) => {
    if (v === null) return;
    const x = n > 1 ? (i / (n - 1)) * 138 + 1 : 70;
    const y = hi > lo ? 24 - ((v - lo) / (hi - lo)) * 22 : 13;
    pts.push(x.toFixed(1) + ',' + y.toFixed(1));
  });
  svg.setAttribute('data-points', String(pts.length));
  if (pts.length > 1) {
    const line = document.createElementNS(NS, 'polyline');
    line.setAttribute('points', pts.join(' '));
    svg.appendChild(line);
  }
  const title = document.createElementNS(NS, 'title');
  title.textContent = pts.length + ' samples; min ' + fmtNum(lo) + ', max ' + fmtNum(hi);
  svg.appendChild(title);
  return svg;
}
