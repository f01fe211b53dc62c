/**
 * Model call latencies as a sparse log-scale histogram: buckets grow by 10 %, so a percentile
 * read from it is within 10 % of the true value, and a minute of traffic at any rate is a few
 * dozen numbers instead of one per call.
 */
export interface LatencyHistogram {
  count: number;
  /** Milliseconds. */
  sum: number;
  max: number;
  /** Bucket index → calls; bucket i holds latencies in (BASE·RATIO^(i-1), BASE·RATIO^i]. */
  buckets: Record<string, number>;
}

const BASE_MS = 0.01;
const RATIO = 1.1;
const LOG_RATIO = Math.log(RATIO);

export function emptyHistogram(): LatencyHistogram {
  return { count: 0, sum: 0, max: 0, buckets: {} };
}

export function bucketOf(latencyMs: number): number {
  if (latencyMs <= BASE_MS) return 0;
  return Math.ceil(Math.log(latencyMs / BASE_MS) / LOG_RATIO);
}

export function observe(histogram: LatencyHistogram, latencyMs: number): void {
  histogram.count++;
  histogram.sum += latencyMs;
  if (latencyMs > histogram.max) histogram.max = latencyMs;
  const bucket = bucketOf(latencyMs);
  histogram.buckets[bucket] = (histogram.buckets[bucket] ?? 0) + 1;
}

export function merge(into: LatencyHistogram, from: LatencyHistogram): void {
  into.count += from.count;
  into.sum += from.sum;
  if (from.max > into.max) into.max = from.max;
  for (const [bucket, count] of Object.entries(from.buckets)) {
    into.buckets[bucket] = (into.buckets[bucket] ?? 0) + count;
  }
}

/** The latency below which `fraction` of the calls fall (the bucket's upper bound, at most max). */
export function percentile(histogram: LatencyHistogram, fraction: number): number {
  if (histogram.count === 0) return 0;
  const target = Math.max(1, Math.ceil(fraction * histogram.count));
  const buckets = Object.entries(histogram.buckets)
    .map(([bucket, count]) => [Number(bucket), count] as const)
    .sort((a, b) => a[0] - b[0]);
  let seen = 0;
  for (const [bucket, count] of buckets) {
    seen += count;
    if (seen >= target) return Math.min(histogram.max, BASE_MS * RATIO ** bucket);
  }
  return histogram.max;
}
