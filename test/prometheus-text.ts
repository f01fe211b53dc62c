import parsePrometheusTextFormat, { type PrometheusFamily } from "parse-prometheus-text-format";

/** One histogram series: its labels (without `le`), cumulative buckets, sum and count. */
export interface HistogramSeries {
  labels: Record<string, string>;
  buckets: [upperBound: number, count: number][];
  sum: number;
  count: number;
}

/** A `/metrics` body read by a Prometheus text-format parser, with lookups for assertions. */
export interface ParsedMetrics {
  /** Every family by name, with its type and help. */
  families: Map<string, PrometheusFamily>;
  /** Sum of a counter's or gauge's samples whose labels include `labels`; 0 when there are none. */
  value(name: string, labels?: Record<string, string>): number;
  /** Sum of a histogram's `_count` over its series whose labels include `labels`. */
  count(name: string, labels?: Record<string, string>): number;
  /** The label sets of a family's samples (a histogram's without `le`). */
  labelSets(name: string): Record<string, string>[];
}

/** A sample value as Prometheus reads it (Go's ParseFloat: NaN and Inf in any case). */
function number(text: string | undefined, where: string): number {
  if (text !== undefined && /^nan$/i.test(text)) return Number.NaN;
  if (text !== undefined && /^[+-]?inf(inity)?$/i.test(text)) {
    return text.startsWith("-") ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  const value = Number(text);
  if (text === undefined || text.trim() === "" || Number.isNaN(value)) {
    throw new Error(`${where}: "${text}" is not a number`);
  }
  return value;
}

function includes(labels: Record<string, string> | undefined, wanted: Record<string, string>): boolean {
  return Object.entries(wanted).every(([key, value]) => labels?.[key] === value);
}

function withoutLe(labels: Record<string, string> | undefined): Record<string, string> {
  const { le: _le, ...rest } = labels ?? {};
  return rest;
}

/**
 * The parser folds all series of a labelled histogram into one and drops their `_sum` and
 * `_count` (yunyu/parse-prometheus-text-format#13). Without their TYPE lines, the same parser
 * reads `x_bucket`, `x_sum` and `x_count` as plain samples with their labels intact.
 */
function histogramSeries(text: string, names: readonly string[]): Map<string, HistogramSeries[]> {
  const typeLines = new Set(names.map((name) => `# TYPE ${name} histogram`));
  const untyped = text
    .split("\n")
    .filter((line) => !typeLines.has(line.trim()))
    .join("\n");
  // Untyped, each series' `_bucket`, `_sum` and `_count` lines come out as families of their own.
  const parts = new Map<string, PrometheusFamily["metrics"]>();
  for (const family of parsePrometheusTextFormat(untyped)) {
    parts.set(family.name, [...(parts.get(family.name) ?? []), ...family.metrics]);
  }
  const result = new Map<string, HistogramSeries[]>();
  for (const name of names) {
    const byLabels = new Map<string, HistogramSeries>();
    const seriesOf = (labels: Record<string, string> | undefined) => {
      const own = withoutLe(labels);
      const key = JSON.stringify(Object.entries(own).sort());
      let series = byLabels.get(key);
      if (!series) {
        series = { labels: own, buckets: [], sum: Number.NaN, count: Number.NaN };
        byLabels.set(key, series);
      }
      return series;
    };
    for (const sample of parts.get(`${name}_bucket`) ?? []) {
      const le = sample.labels?.le;
      if (le === undefined) throw new Error(`${name}_bucket without le`);
      seriesOf(sample.labels).buckets.push([number(le, `${name} le`), number(sample.value, name)]);
    }
    for (const sample of parts.get(`${name}_sum`) ?? []) {
      seriesOf(sample.labels).sum = number(sample.value, `${name}_sum`);
    }
    for (const sample of parts.get(`${name}_count`) ?? []) {
      seriesOf(sample.labels).count = number(sample.value, `${name}_count`);
    }
    result.set(name, [...byLabels.values()]);
  }
  return result;
}

function checkHistogram(name: string, series: HistogramSeries): void {
  const where = `${name}${JSON.stringify(series.labels)}`;
  let previous = 0;
  for (const [bound, cumulative] of series.buckets) {
    if (cumulative < previous) throw new Error(`${where}: buckets are not cumulative at le=${bound}`);
    previous = cumulative;
  }
  if (series.buckets.at(-1)?.[0] !== Number.POSITIVE_INFINITY) throw new Error(`${where}: no +Inf bucket`);
  if (Number.isNaN(series.sum)) throw new Error(`${where}: no _sum`);
  if (previous !== series.count)
    throw new Error(`${where}: +Inf bucket ${previous} ≠ _count ${series.count}`);
}

/**
 * Parses strictly: the parser throws on any malformed line, and on top of it every family must
 * have HELP and TYPE (a sample whose name does not fit its family's TYPE lands in an untyped one),
 * appear once, have numeric values, and every histogram series cumulative buckets up to `+Inf` =
 * `_count`.
 */
export function parseMetrics(text: string): ParsedMetrics {
  const families = new Map<string, PrometheusFamily>();
  for (const family of parsePrometheusTextFormat(text)) {
    if (families.has(family.name)) throw new Error(`family ${family.name} appears twice`);
    if (family.type === "UNTYPED") throw new Error(`family ${family.name} has no TYPE`);
    if (!family.help) throw new Error(`family ${family.name} has no HELP`);
    if (family.type !== "HISTOGRAM") {
      for (const sample of family.metrics) number(sample.value, family.name);
    }
    families.set(family.name, family);
  }
  const histogramNames = [...families.values()]
    .filter((family) => family.type === "HISTOGRAM")
    .map((family) => family.name);
  const histograms = histogramSeries(text, histogramNames);
  for (const [name, allSeries] of histograms) {
    for (const series of allSeries) checkHistogram(name, series);
  }
  const samples = (name: string, labels: Record<string, string>) =>
    (families.get(name)?.metrics ?? []).filter((sample) => includes(sample.labels, labels));
  return {
    families,
    value: (name, labels = {}) =>
      samples(name, labels).reduce((total, sample) => total + number(sample.value, name), 0),
    count: (name, labels = {}) =>
      (histograms.get(name) ?? [])
        .filter((series) => includes(series.labels, labels))
        .reduce((total, series) => total + series.count, 0),
    labelSets: (name) =>
      histograms.get(name)?.map((series) => series.labels) ??
      (families.get(name)?.metrics ?? []).map((sample) => sample.labels ?? {}),
  };
}
