export interface BackoffOptions {
  /** First delay's cap, ms. */
  readonly baseDelayMs: number;
  /** Cap of any delay, ms. */
  readonly maxDelayMs: number;
  /** A uniform random number in [0, 1). */
  readonly random: () => number;
}

/**
 * Exponential backoff with full jitter: before retry n (0-based), wait a uniform random time
 * between 0 and min(maxDelay, base * 2^n), so that throttled writers spread out.
 */
export function fullJitterDelay(retry: number, options: BackoffOptions): number {
  return options.random() * Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry);
}
