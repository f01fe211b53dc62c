export interface BackoffOptions {
  /** Failures in a row, 1 for the first. */
  attempt: number;
  minMs: number;
  maxMs: number;
  /** In [0, 1); `Math.random` by default. */
  random?: () => number;
}

/**
 * Exponential back-off with "equal jitter": half the exponential step is fixed and half random,
 * so several gateways that lost Qdrant together do not come back in lockstep, and the delay
 * still never falls below `minMs` nor rises above `maxMs`.
 */
export function backoffDelayMs({ attempt, minMs, maxMs, random = Math.random }: BackoffOptions): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const step = Math.min(maxMs, minMs * 2 ** exponent);
  const delay = step / 2 + (step / 2) * random();
  return Math.round(Math.min(maxMs, Math.max(minMs, delay)));
}
