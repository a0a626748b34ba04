/**
 * A SQL text with positional `?` placeholders and the names of the values they stand for,
 * in order. KPI SQL is only ever built with the {@link sql} tag, which accepts nested SQL
 * texts, {@link param} placeholders and integer constants of a definition, but no strings:
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

export interface SqlText {
  readonly text: string;
  readonly params: readonly ParamName[];
}

class Placeholder {
  constructor(readonly name: ParamName) {}
}

/** A `?` placeholder for the named value. */
export function param(name: ParamName): Placeholder {
  return new Placeholder(name);
}

type SqlPart = SqlText | Placeholder | number;

export function sql(strings: TemplateStringsArray, ...parts: readonly SqlPart[]): SqlText {
  let text = strings[0] ?? '';
  const params: ParamName[] = [];
  parts.forEach((part, i) => {
    if (part instanceof Placeholder) {
      text += '?';
      params.push(part.name);
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
