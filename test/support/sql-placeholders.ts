/**
 * The offsets of `?` characters that are SQL placeholders: outside string literals ('...', with
 * '' as an escaped quote), quoted identifiers ("...") and comments (-- to the end of the line,
 * /* ... *\/). Athena takes `?` execution parameters only in WHERE clauses; the texts this project
 * sends it and saves as named queries carry none at all, which this finds.
 */
export function placeholdersOutsideStrings(sql: string): number[] {
  const found: number[] = [];
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      if (end < 0) throw new Error(`Unterminated ${c} at ${i}`);
      i = end;
      while (sql[i + 1] === c) i = sql.indexOf(c, i + 2);
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 1;
    } else if (c === '?') {
      found.push(i);
    }
  }
  return found;
}
