import type { QueryEngine, QueryResult, SqlParam } from '../../lambdas/core/query-engine';

/** A query engine that records every call and passes it on to a real engine. */
export class SpyEngine implements QueryEngine {
  readonly calls: { sql: string; params: readonly SqlParam[] }[] = [];

  constructor(private readonly inner: QueryEngine) {}

  query(sql: string, params: readonly SqlParam[]): Promise<QueryResult> {
    this.calls.push({ sql, params });
    return this.inner.query(sql, params);
  }
}
