import type { Node } from 'constructs';

/**
 * Reads typed values from CDK context. Values given with `-c key=value` arrive as strings, values
 * from `cdk.json` as JSON, so numbers and booleans are accepted in both forms. A bad value throws
 * `Invalid context <key>: got <value>; allowed: <what is allowed>.`
 */
export class ContextReader<K extends string> {
  constructor(
    private readonly node: Node,
    private readonly defaults: Readonly<Record<K, unknown>>,
  ) {}

  string(key: K, pattern: RegExp, allowed: string): string {
    const value = this.raw(key);
    if (typeof value !== 'string' || !pattern.test(value)) this.fail(key, value, allowed);
    return value;
  }

  /** Unset, `null` or `''` mean "not given". */
  optionalString(key: K, pattern: RegExp, allowed: string): string | undefined {
    if (this.isUnset(key)) return undefined;
    return this.string(key, pattern, `${allowed}, or unset`);
  }

  number(key: K, min: number, allowed: string): number {
    const value = this.raw(key);
    const n = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < min) this.fail(key, value, allowed);
    return n;
  }

  integer(key: K, min: number, max: number, unit: string): number {
    const value = this.raw(key);
    const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      this.fail(key, value, `an integer from ${min} to ${max} (${unit})`);
    }
    return n;
  }

  optionalInteger(key: K, min: number, max: number, unit: string): number | undefined {
    if (this.isUnset(key)) return undefined;
    return this.integer(key, min, max, `${unit}, or unset`);
  }

  boolean(key: K): boolean {
    const value = this.raw(key);
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    return this.fail(key, value, 'true or false');
  }

  oneOf<T extends string | number>(key: K, allowed: readonly T[]): T {
    const value = this.raw(key);
    const match = allowed.find((a) => a === value || String(a) === value);
    if (match === undefined) this.fail(key, value, `one of ${allowed.join(', ')}`);
    return match;
  }

  /** A real calendar day written `YYYY-MM-DD`. */
  day(key: K): string {
    const value = this.raw(key);
    if (typeof value !== 'string' || !isCalendarDay(value))
      this.fail(key, value, 'a calendar day as YYYY-MM-DD');
    return value;
  }

  private raw(key: K): unknown {
    const value: unknown = this.node.tryGetContext(key);
    return value === undefined ? this.defaults[key] : value;
  }

  private isUnset(key: K): boolean {
    const value = this.raw(key);
    return value === null || value === undefined || value === '';
  }

  private fail(key: K, value: unknown, allowed: string): never {
    throw new Error(`Invalid context ${key}: got ${JSON.stringify(value)}; allowed: ${allowed}.`);
  }
}

function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
}
