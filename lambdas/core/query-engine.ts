/**
 * Port: runs one SQL text with positional `?` parameters and returns rows.
 * Implementations: Athena (deployed) and DuckDB (local). The SQL text is the same for
 * both (Trino-named functions are supplied to DuckDB as macros); callers never learn
 * which engine runs it.
 *
 * Callers never splice values into the SQL: they pass them as parameters. An engine binds them
 * (DuckDB) or renders them as literals with the one escaping function, `sql-literal.ts`
 * (Athena). A `string` is a VARCHAR, a `number` a numeric literal (integers as BIGINT, others
 * DOUBLE).
 */
export type SqlParam = string | number;

/** One result row: column name to value. Integers come back as `number` when they fit, else `bigint`. */
export type Row = Readonly<Record<string, string | number | bigint | boolean | null>>;

export interface QueryResult {
  readonly rows: readonly Row[];
  /** Bytes the engine read, where it reports them (Athena). */
  readonly bytesScanned?: number;
  /** Time the engine spent on the query (ms), where it reports it (Athena). */
  readonly engineMs?: number;
  /** True when the engine answered from a cached result (Athena result reuse). */
  readonly reusedResult?: boolean;
}

export interface QueryOptions {
  /**
   * The answer to this text stays right until the text changes (it reads only data that does
   * not change under it), so the engine may answer from an earlier result (Athena's result
   * reuse). @default false
   */
  readonly reusable?: boolean;
}

export interface QueryEngine {
  query(sql: string, params: readonly SqlParam[], options?: QueryOptions): Promise<QueryResult>;
}
