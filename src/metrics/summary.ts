import type { Attributes } from '@opentelemetry/api';
import type { DataPoint, MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { shapeOf } from './aggregations/registry.js';
import type { MetricShape, PointValue, SeriesType, SummaryRule } from './aggregations/types.js';
import type { ScrapeInput } from './exposition.js';
import type { Instrument } from './store.js';
import type { Series } from './series.js';
import { SCOPE } from './producer.js';
import { clockNow } from './expiry.js';

export interface HistogramSummary {
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
  avg: number | null;
}

export interface SeriesSummary {
  name: string;
  type: SeriesType;
  unit: string;
  scope: string;
  attributes: Attributes;
  value: number | HistogramSummary;
}

/**
 * The PySocketCommLib-compatible `GET /metrics` JSON: `counters`, `gauges` and `histograms`
 * keyed by metric name (counters summed and histograms merged over their attribute sets,
 * gauges and up-down counters the last series' value), plus `series` with every attribute set
 * for callers that need the breakdown.
 */
export interface MetricsSummary {
  counters: Record<string, number>;
  gauges: Record<string, number>;
  histograms: Record<string, HistogramSummary>;
  series: SeriesSummary[];
}

export function summarize(rm: ResourceMetrics): MetricsSummary {
  const out: MetricsSummary = { counters: {}, gauges: {}, histograms: {}, series: [] };
  for (const sm of rm.scopeMetrics) {
    for (const m of sm.metrics) {
      const shape = shapeOf(m);
      const rule = shape.summary;
      if (rule === undefined || shape.seriesType === undefined) continue;
      const { name, unit } = m.descriptor;
      const scope = sm.scope.name;
      const keyed = out[rule.key] as Record<string, unknown>;
      let folded = keyed[name] ?? rule.empty;
      for (const p of m.dataPoints as DataPoint<PointValue>[]) {
        const value = rule.entry(p.value);
        folded = rule.fold(folded, value);
        out.series.push({ name, type: shape.seriesType, unit, scope, attributes: p.attributes, value: value as SeriesSummary['value'] });
      }
      if (folded !== undefined) keyed[name] = folded;
    }
  }
  return out;
}

interface SummaryMember {
  shape: MetricShape;
  rule: SummaryRule<PointValue, unknown>;
  name: string;
  unit: string;
  scope: string;
  data: MetricData | undefined;
  inst: Instrument | undefined;
}

/** The JSON's series part goes out in pieces of about this many characters. */
const CHUNK_CHARS = 1 << 18;
const CHECK_EVERY = 16;
const EMPTY = Buffer.alloc(0);

/**
 * The summary's JSON text written a step at a time (see ExpositionWriter): the same text as
 * `JSON.stringify(summarize(...))`. The keyed part comes first in that text but is known only
 * once every series is read, so the series' JSON is kept until then: one pass over the data,
 * at most one copy of the text, as a one-piece summary held.
 */
export class SummaryWriter {
  private readonly keyed: Omit<MetricsSummary, 'series'> = { counters: {}, gauges: {}, histograms: {} };
  private readonly members: SummaryMember[] = [];
  private readonly chunks: Buffer[] = [];
  private body = '';
  private member = 0;
  private point = 0;
  private series: Iterator<Series> | undefined;
  private folded: unknown;
  private started = false;
  private sent = -1;

  constructor(input: ScrapeInput) {
    const add = (shape: MetricShape, name: string, unit: string, scope: string, data?: MetricData, inst?: Instrument) => {
      const rule = shape.summary;
      if (rule === undefined || shape.seriesType === undefined) return;
      this.members.push({ shape, rule, name, unit, scope, data, inst });
    };
    for (const sm of input.rm.scopeMetrics) {
      for (const m of sm.metrics) add(shapeOf(m), m.descriptor.name, m.descriptor.unit, sm.scope.name, m, undefined);
    }
    if (input.store !== undefined) {
      const nowMs = clockNow();
      for (const inst of input.store.instruments.values()) {
        // Series idle past their TTL leave before they are read, as a collection does.
        inst.sweep(nowMs);
        add(shapeOf(inst.aggregation), inst.streamName, inst.unit, SCOPE.name, undefined, inst);
      }
    }
  }

  step(deadline: number): string | Buffer | null {
    if (this.member < this.members.length) {
      this.read(deadline);
      return '';
    }
    if (this.sent === -1) {
      if (this.body !== '') this.chunks.push(Buffer.from(this.body));
      this.body = '';
      this.sent = 0;
      const k = this.keyed;
      const head = `{"counters":${JSON.stringify(k.counters)},"gauges":${JSON.stringify(k.gauges)},"histograms":${JSON.stringify(k.histograms)},"series":[`;
      return head;
    }
    if (this.sent < this.chunks.length) {
      const chunk = this.chunks[this.sent]!;
      this.chunks[this.sent++] = EMPTY;
      return chunk;
    }
    if (this.sent === this.chunks.length) {
      this.sent++;
      return ']}';
    }
    return null;
  }

  /** Everything at once. */
  all(): string {
    let out = '';
    for (let s = this.step(Infinity); s !== null; s = this.step(Infinity)) out += s.toString();
    return out;
  }

  private entry(m: SummaryMember, attributes: Attributes, point: PointValue): void {
    const value = m.rule.entry(point);
    this.folded = m.rule.fold(this.folded, value);
    const json = JSON.stringify({ name: m.name, type: m.shape.seriesType, unit: m.unit, scope: m.scope, attributes, value });
    this.body += this.started ? ',' + json : json;
    this.started = true;
    if (this.body.length >= CHUNK_CHARS) {
      // Bytes, not the string: see Pass in src/metrics/scrape.ts.
      this.chunks.push(Buffer.from(this.body));
      this.body = '';
    }
  }

  /** Reads series until the deadline; moves to the next member when one is done. */
  private read(deadline: number): void {
    let n = 0;
    while (this.member < this.members.length) {
      const m = this.members[this.member]!;
      const keyed = this.keyed[m.rule.key] as Record<string, unknown>;
      if (this.point === 0 && this.series === undefined) this.folded = keyed[m.name] ?? m.rule.empty;
      if (m.inst !== undefined) {
        const inst = m.inst;
        const it = (this.series ??= inst.all());
        this.point = 1;
        for (let r = it.next(); !r.done; r = it.next()) {
          const v = inst.aggregation.value(inst, r.value);
          if (v !== undefined) this.entry(m, r.value.attributes, v);
          if (++n % CHECK_EVERY === 0 && performance.now() >= deadline) return;
        }
      } else {
        const points = m.data!.dataPoints as DataPoint<PointValue>[];
        while (this.point < points.length) {
          const p = points[this.point++]!;
          this.entry(m, p.attributes, p.value);
          if (++n % CHECK_EVERY === 0 && performance.now() >= deadline) return;
        }
      }
      if (this.folded !== undefined) keyed[m.name] = this.folded;
      this.member++;
      this.point = 0;
      this.series = undefined;
    }
  }
}
