/** A DuckDB string literal of a text our own code made (a file path), quotes doubled. Caller input is bound, never quoted. */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
