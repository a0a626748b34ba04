/** A record that was not imported, as the report lists it. */
export interface Rejection {
  /** The file or `s3://bucket/key`. */
  readonly file: string;
  /** Where in the file, e.g. `record 12 at byte 3456`. */
  readonly position: string;
  readonly reason: string;
}

/** Rejections that share a reason (values in the message aside), with the first as an example. */
export interface ReasonCount {
  readonly count: number;
  readonly example: Rejection;
}

/** What an import did, per file or added up over a run; JSON, so the AWS run can pass it between steps. */
export interface ImportCounts {
  readonly files: number;
  /** Bytes of the files as stored (compressed where they are). */
  readonly bytes: number;
  /** Events handed to the lake (locally: new events only). */
  readonly imported: number;
  /** Events already in the lake or met earlier in the same import (counted locally only). */
  readonly duplicates: number;
  /** Records that are not app events, by event type. */
  readonly skipped: Readonly<Record<string, number>>;
  /** Records that could not be imported, by reason. */
  readonly rejected: Readonly<Record<string, ReasonCount>>;
}

export const NO_COUNTS: ImportCounts = {
  files: 0,
  bytes: 0,
  imported: 0,
  duplicates: 0,
  skipped: {},
  rejected: {},
};

/**
 * The reason with the values a message quotes masked (`"…"`, numbers as `N`), so that
 * `event_type must be a non-empty string, got 42` and `..., got 7` are counted as one reason.
 */
export function reasonKey(reason: string): string {
  return reason
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/ \(\d+ characters\)/g, '')
    .replace(/\d+(?:\.\d+)?/g, 'N');
}

function addTo<T>(
  into: Record<string, T>,
  from: Readonly<Record<string, T>>,
  merge: (a: T, b: T) => T,
): void {
  for (const [key, value] of Object.entries(from)) {
    const existing = into[key];
    into[key] = existing === undefined ? value : merge(existing, value);
  }
}

/** Two counts added up (a run's files, a Map run's objects). */
export function addCounts(a: ImportCounts, b: ImportCounts): ImportCounts {
  const skipped: Record<string, number> = { ...a.skipped };
  addTo(skipped, b.skipped, (x, y) => x + y);
  const rejected: Record<string, ReasonCount> = { ...a.rejected };
  addTo(rejected, b.rejected, (x, y) => ({ count: x.count + y.count, example: x.example }));
  return {
    files: a.files + b.files,
    bytes: a.bytes + b.bytes,
    imported: a.imported + b.imported,
    duplicates: a.duplicates + b.duplicates,
    skipped,
    rejected,
  };
}

function firstKeys<T>(
  record: Readonly<Record<string, T>>,
  max: number,
  weight: (value: T) => number,
): Record<string, T> {
  const entries = Object.entries(record).sort((a, b) => weight(b[1]) - weight(a[1]));
  return Object.fromEntries(entries.slice(0, max));
}

/**
 * The counts with only the `max` most frequent event types and reasons listed (the totals of
 * the others are dropped from the lists), e.g. to keep a Step Functions state output small.
 */
export function cappedCounts<T extends ImportCounts>(counts: T, max: number): T {
  return {
    ...counts,
    skipped: firstKeys(counts.skipped, max, (n) => n),
    rejected: firstKeys(counts.rejected, max, (r) => r.count),
  };
}

/** Mutable counts of one file or run, while it is read. */
export class CountsBuilder {
  private counts: ImportCounts = NO_COUNTS;

  add(counts: Partial<ImportCounts>): void {
    this.counts = addCounts(this.counts, { ...NO_COUNTS, ...counts });
  }

  skip(eventType: string): void {
    this.add({ skipped: { [eventType]: 1 } });
  }

  reject(rejection: Rejection): void {
    this.add({ rejected: { [reasonKey(rejection.reason)]: { count: 1, example: rejection } } });
  }

  get value(): ImportCounts {
    return this.counts;
  }
}

const total = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const number = (n: number) => n.toLocaleString('en-US');

/** How many records were rejected in all. */
export function rejectedCount(counts: ImportCounts): number {
  return total(Object.values(counts.rejected).map((r) => r.count));
}

export interface SummaryOptions {
  /** Whether duplicates were looked up (locally) or left to the KPIs' distinct counts (AWS). */
  readonly duplicatesCounted: boolean;
  /** At most this many reasons and event types are listed. @default 10 */
  readonly maxLines?: number;
}

/**
 * The summary lines after an import: events imported, duplicates, skipped by type and
 * rejected by reason (each with an example position), most frequent first.
 */
export function summaryLines(counts: ImportCounts, options: SummaryOptions): string[] {
  const max = options.maxLines ?? 10;
  const lines: string[] = [];
  lines.push(
    options.duplicatesCounted
      ? `  duplicates of events already in the lake: ${number(counts.duplicates)}`
      : '  duplicates of events already in the lake: not looked up (the KPIs count each event once)',
  );
  const skipped = Object.entries(counts.skipped).sort((a, b) => b[1] - a[1]);
  lines.push(`  skipped by type (not app events): ${number(total(skipped.map(([, n]) => n)))}`);
  for (const [type, n] of skipped.slice(0, max)) lines.push(`    ${number(n).padStart(9)}  ${type}`);
  if (skipped.length > max) lines.push(`    … and ${skipped.length - max} more event types`);
  const rejected = Object.values(counts.rejected).sort((a, b) => b.count - a.count);
  lines.push(`  rejected: ${number(rejectedCount(counts))}`);
  for (const { count, example } of rejected.slice(0, max)) {
    lines.push(`    ${number(count).padStart(9)}  ${example.reason}`);
    lines.push(`               e.g. ${example.file}, ${example.position}`);
  }
  if (rejected.length > max) lines.push(`    … and ${rejected.length - max} more reasons (see the report)`);
  return lines;
}
