/**
 * Running totals of per-key counts that can restart from zero. An agent's snapshot counts its
 * restarts since its handle was built, and a config reload that changes the agent builds a new
 * handle at zero; a Prometheus counter must never go down within one process, so a drop is
 * taken as a reset and what was counted before it is kept.
 *
 * A reset is only seen when the new count is below the last one scraped, so increments between
 * the last scrape and a replacement can be missed; the total stays monotonic either way.
 */
export class MonotonicTotals {
  private readonly entries = new Map<string, { last: number; carried: number }>();

  /** The total for `key`, given its count now. */
  observe(key: string, count: number): number {
    const entry = this.entries.get(key);
    if (!entry) {
      this.entries.set(key, { last: count, carried: 0 });
      return count;
    }
    if (count < entry.last) entry.carried += entry.last;
    entry.last = count;
    return entry.carried + count;
  }

  /** Every key seen so far, with its total: gone keys keep their last total. */
  totals(): [string, number][] {
    return [...this.entries].map(([key, entry]) => [key, entry.carried + entry.last]);
  }
}
