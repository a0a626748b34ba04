const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex4 = (n: number) => `${HEX[(n >>> 8) & 255]}${HEX[n & 255]}`;
const hex8 = (n: number) => `${hex4(n >>> 16)}${hex4(n)}`;

/**
 * The project's one seeded pseudo-random generator (mulberry32), with the helpers sample data
 * needs. The same seed gives the same sequence on every machine, so sample lakes are
 * reproducible and a test's "random" failure repeats run after run.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** One item, chosen with probability proportional to its weight. */
  weighted<T extends { readonly weight: number }>(items: readonly T[]): T {
    let left = this.next() * items.reduce((sum, item) => sum + item.weight, 0);
    for (const item of items) {
      left -= item.weight;
      if (left < 0) return item;
    }
    return items[items.length - 1] as T;
  }

  /** A random version-4-shaped UUID, e.g. for endpoint and event ids. */
  uuid(): string {
    const [a, b, c, d] = [this.word(), this.word(), this.word(), this.word()];
    return `${hex8(a)}-${hex4(b >>> 16)}-4${hex4(b).slice(1)}-a${hex4(c >>> 16).slice(1)}-${hex4(c)}${hex8(d)}`;
  }

  /** A random unsigned 32-bit integer. */
  private word(): number {
    return this.next() * 4294967296;
  }

  /** A draw from Poisson(mean), for counts such as new users per day. */
  poisson(mean: number): number {
    if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let count = 0;
    for (let p = this.next(); p > limit; p *= this.next()) count += 1;
    return count;
  }

  /** A draw from the standard normal distribution. */
  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }
}

/** A function of floats in [0, 1) from a {@link SeededRandom}, where an API takes `() => number`. */
export function seededRandom(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}
