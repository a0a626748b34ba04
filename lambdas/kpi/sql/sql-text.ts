import type { SqlParam } from '../../core/query-engine';
import { inlineParameters } from '../../core/sql-literal';

/**
 * A SQL text with positional `?` placeholders and, in order, what each stands for: a named
 * value of the request ({@link param}) or a value the planner worked out ({@link bound}: a
 * day, an offset in ms). KPI SQL is only ever built with the {@link sql} tag, which accepts
 * nested SQL texts, placeholders and integer constants of a definition, but no strings:
 * nothing a caller sends can be spliced into the text.
 */
export type ParamName =
  | 'start_date'
  | 'end_date'
  | 'last_complete_date'
  | 'timezone'
  | 'app_id'
  | 'first_dt'
  | 'lake_start_date'
  | 'last_dt'
  | 'event_name'
  | 'metric'
  | 'attribute';

/** A value known when the SQL is built, e.g. a UTC day the planner chose. */
export interface BoundValue {
  readonly value: SqlParam;
}

export type SqlValue = ParamName | BoundValue;

export interface SqlText {
  readonly text: string;
  readonly params: readonly SqlValue[];
}

class Placeholder {
  constructor(readonly value: SqlValue) {}
}

/** A `?` placeholder for the request's named value. */
export function param(name: ParamName): Placeholder {
  return new Placeholder(name);
}

/** A `?` placeholder for a value known now. Strings and numbers only; never spliced. */
export function bound(value: SqlParam): Placeholder {
  return new Placeholder({ value });
}

type SqlPart = SqlText | Placeholder | number;

export function sql(strings: TemplateStringsArray, ...parts: readonly SqlPart[]): SqlText {
  let text = strings[0] ?? '';
  const params: SqlValue[] = [];
  parts.forEach((part, i) => {
    if (part instanceof Placeholder) {
      text += '?';
      params.push(part.value);
    } else if (typeof part === 'number') {
      if (!Number.isSafeInteger(part))
        throw new TypeError(`Only integer constants may be spliced, got ${part}`);
      text += String(part);
    } else {
      text += part.text;
      params.push(...part.params);
    }
    text += strings[i + 1] ?? '';
  });
  return { text, params };
}

/** Joins SQL texts with a separator, e.g. the common table expressions of one query. */
export function joinSql(parts: readonly SqlText[], separator: string): SqlText {
  return {
    text: parts.map((p) => p.text).join(separator),
    params: parts.flatMap((p) => p.params),
  };
}

export const EMPTY_SQL: SqlText = { text: '', params: [] };

/**
 * A text whose placeholders are all {@link bound} values (no named request value), rendered with
 * its values as literals through the one escaping path, `inlineParameters`.
 */
export function renderBound(text: SqlText): string {
  return inlineParameters(
    text.text,
    text.params.map((p) => {
      if (typeof p === 'string') throw new Error(`This SQL takes no named parameter, got ${p}`);
      return p.value;
    }),
  );
}
