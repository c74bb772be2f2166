import type { MetricRow, Reply } from './types.js';

/** What the page keeps between refreshes. */
export const state = {
  refreshMs: 2000,
  authorized: false,
  selected: null as string | null,
  metrics: [] as MetricRow[],
  totalSeries: 0,
  times: [] as number[],
  sampleMs: undefined as number | undefined,
  timer: undefined as number | undefined,
};

export function getJSON<T>(path: string): Promise<Reply<T>> {
  return fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store' }).then((r) =>
    r.json().then((b) => ({ status: r.status, body: b as T })),
  );
}
