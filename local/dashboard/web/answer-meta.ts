import { formatBytes, formatInstant } from './format';

/**
 * What an API answer tells about itself besides its values, shown small under each chart and
 * summed up for the view: bytes scanned, engine time, a cached result, where the days came
 * from and how fresh the data is. Only what an answer carries is shown.
 */
export interface AnswerMeta {
  readonly bytesScanned?: number;
  readonly engineMs?: number;
  readonly cached?: boolean;
  /** The latest arrival included, ISO 8601; null when the answer includes no event (docs/CONTRACT.md §3). */
  readonly freshness?: string | null;
  readonly source?: unknown;
}

/** `source` in a few words: its text, or each key with a count of its days (its full JSON is the tooltip). */
export function describeSource(source: unknown): string | undefined {
  if (source === undefined || source === null) return undefined;
  if (typeof source === 'string') return source;
  if (Array.isArray(source)) return `${source.length} parts`;
  if (typeof source === 'object') {
    return Object.entries(source as Record<string, unknown>)
      .map(([key, value]) => `${key} ${Array.isArray(value) ? `${value.length} d` : String(value)}`)
      .join(', ');
  }
  return String(source);
}

/** The latest of the answers' freshness instants (ISO 8601 compares as text); none when no answer has one. */
function latest(answers: readonly AnswerMeta[]): string | undefined {
  return answers.reduce<string | undefined>(
    (max, a) =>
      typeof a.freshness === 'string' && (max === undefined || a.freshness > max) ? a.freshness : max,
    undefined,
  );
}

/** One discreet line for one chart's answers, e.g. `scanned 1.2 MB · 340 ms · cached`; empty when there is nothing to tell. */
export function describeAnswers(
  answers: readonly AnswerMeta[],
  timeZone: string,
): { text: string; title: string } {
  const parts: string[] = [];
  const scanned = answers.filter((a) => a.bytesScanned !== undefined);
  if (scanned.length > 0)
    parts.push(`scanned ${formatBytes(scanned.reduce((t, a) => t + (a.bytesScanned ?? 0), 0))}`);
  const timed = answers.filter((a) => a.engineMs !== undefined);
  if (timed.length > 0) parts.push(`${Math.round(timed.reduce((t, a) => t + (a.engineMs ?? 0), 0))} ms`);
  if (answers.length > 0 && answers.every((a) => a.cached === true)) parts.push('cached');
  const sources = answers.map((a) => describeSource(a.source)).filter((s): s is string => s !== undefined);
  if (sources.length > 0) parts.push(`source: ${[...new Set(sources)].join('; ')}`);
  const fresh = latest(answers);
  if (fresh !== undefined) parts.push(`data up to ${formatInstant(fresh, timeZone)}`);
  const title = answers
    .filter((a) => a.source !== undefined)
    .map((a) => JSON.stringify(a.source))
    .join('\n');
  return { text: parts.join(' · '), title };
}

/** The view's summary: how many answers, bytes scanned in total, and the freshest data. */
export function describeView(answers: readonly AnswerMeta[], timeZone: string): string {
  if (answers.length === 0) return '';
  const parts = [`${answers.length} ${answers.length === 1 ? 'query' : 'queries'}`];
  if (answers.some((a) => a.bytesScanned !== undefined)) {
    parts.push(`${formatBytes(answers.reduce((t, a) => t + (a.bytesScanned ?? 0), 0))} scanned`);
  }
  const fresh = latest(answers);
  if (fresh !== undefined) parts.push(`data up to ${formatInstant(fresh, timeZone)}`);
  return parts.join(' · ');
}
