/** A quantile estimated from cumulative bucket counts (linear within the bucket, clamped to min/max). */
export function quantile(q: number, bounds: number[], counts: number[], min?: number, max?: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c === 0 || seen + c < rank) {
      seen += c;
      continue;
    }
    let lo = i === 0 ? (min ?? Math.min(0, bounds[0] ?? 0)) : bounds[i - 1]!;
    let hi = i < bounds.length ? bounds[i]! : (max ?? bounds[bounds.length - 1] ?? lo);
    if (min !== undefined && Number.isFinite(min)) lo = Math.max(lo, min);
    if (max !== undefined && Number.isFinite(max)) hi = Math.min(hi, max);
    const v = lo + (hi - lo) * ((rank - seen) / c);
    return Number.isFinite(v) ? v : null;
  }
  return max ?? null;
}
