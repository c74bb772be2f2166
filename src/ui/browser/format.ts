export function fmtNum(v: number | null | undefined): string {
  if (v === null || v === undefined || !isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e9 || a < 1e-3)) return v.toExponential(2);
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return Number(v.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !isFinite(ms)) return '–';
  if (ms < 1) return (ms * 1000).toFixed(0) + ' µs';
  if (ms < 1000) return ms.toFixed(ms < 10 ? 2 : 1) + ' ms';
  return (ms / 1000).toFixed(2) + ' s';
}

export function fmtAge(s: number | null | undefined): string {
  if (s === undefined || s === null) return '–';
  if (s < 60) return s.toFixed(1) + ' s';
  if (s < 3600) return (s / 60).toFixed(1) + ' min';
  return (s / 3600).toFixed(1) + ' h';
}

export function fmtTime(ms: number): string {
  const d = new Date(ms);
  return d.toLocaleTimeString('en-GB') + '.' + String(d.getMilliseconds()).padStart(3, '0');
}

/** `k=v, k=v` (non-string values as JSON). */
export function attrText(a: Record<string, unknown> | null | undefined): string {
  if (a === null || a === undefined) return '';
  return Object.keys(a)
    .map((k) => {
      const v = a[k];
      return k + '=' + (typeof v === 'string' ? v : JSON.stringify(v));
    })
    .join(', ');
}
