/**
 * A budget window's spend in bounded memory: a ring of 60 time buckets (1 min for `1h`, 24 min
 * for `1d`, 2.8 h for `7d`, 12 h for `30d`). The window is the current bucket plus the 59 before
 * it, so a cost stops counting between 59/60 and 60/60 of a window after it was recorded.
 */
export const WINDOW_BUCKETS = 60;

export class RollingSpend {
  private readonly buckets = new Float64Array(WINDOW_BUCKETS);
  private readonly bucketMs: number;
  /** Absolute index (time / bucketMs) of the newest bucket. */
  private head = Number.NEGATIVE_INFINITY;
  private sum = 0;

  constructor(windowMs: number) {
    this.bucketMs = windowMs / WINDOW_BUCKETS;
  }

  /** Spend in the window ending at `now`, USD. */
  total(now: number): number {
    this.advance(now);
    return this.sum;
  }

  add(now: number, usd: number): number {
    this.advance(now);
    this.buckets[slot(this.head)]! += usd;
    this.sum += usd;
    return this.sum;
  }

  private advance(now: number): void {
    const index = Math.floor(now / this.bucketMs);
    // A clock that steps back keeps adding to the newest bucket rather than reopening old ones.
    if (!(index > this.head)) return;
    if (index - this.head >= WINDOW_BUCKETS) {
      this.buckets.fill(0);
    } else {
      for (let i = this.head + 1; i <= index; i++) this.buckets[slot(i)] = 0;
    }
    this.head = index;
    // Re-summing (60 adds, once per bucket step) keeps float drift from piling up over time.
    let sum = 0;
    for (let i = 0; i < WINDOW_BUCKETS; i++) sum += this.buckets[i]!;
    this.sum = sum;
  }
}

function slot(index: number): number {
  return ((index % WINDOW_BUCKETS) + WINDOW_BUCKETS) % WINDOW_BUCKETS;
}
