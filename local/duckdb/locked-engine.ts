import type { QueryEngine, QueryResult, SqlParam } from '../../lambdas/core/query-engine';
import type { ReadWriteLock } from '../lake/read-write-lock';

/**
 * A {@link QueryEngine} whose queries hold a shared lock on the lake for their whole run, so a
 * compaction commits only between queries (see `compact.ts`). The KPI app cannot tell it apart
 * from the engine it wraps.
 */
export class LockedEngine implements QueryEngine {
  constructor(
    private readonly engine: QueryEngine,
    private readonly lock: ReadWriteLock,
  ) {}

  query(sql: string, params: readonly SqlParam[]): Promise<QueryResult> {
    return this.lock.read(() => this.engine.query(sql, params));
  }
}
