import * as athena from 'aws-cdk-lib/aws-athena';
import { Construct } from 'constructs';
import type { LakeWindow } from '../lambdas/core/lake-window';
import { namedQueries } from '../lambdas/kpi/named-queries';
import type { AthenaWorkGroup } from './athena-workgroup';

export interface KpiNamedQueriesProps {
  readonly workGroup: AthenaWorkGroup;
  /** The Glue database the queries run against. */
  readonly databaseName: string;
  /** The lake the queries read: all-history KPIs start at its first day. */
  readonly lake: LakeWindow;
}

/** Athena limits a named query's name to 128 characters and its description to 1024. */
const MAX_NAME = 128;
const MAX_DESCRIPTION = 1024;

/**
 * One saved Athena query per KPI, generated from the same definitions as the KPI API, so console
 * users get the same numbers. Each is the SQL the API sends for an example request, with a
 * comment at its top listing the example values to edit (Athena allows `?` parameters only in
 * WHERE clauses, so the saved queries carry literals).
 */
export class KpiNamedQueries extends Construct {
  readonly queries: athena.CfnNamedQuery[];

  constructor(scope: Construct, id: string, props: KpiNamedQueriesProps) {
    super(scope, id);
    this.queries = namedQueries(props.lake).map((query) => {
      if (query.name.length > MAX_NAME || query.description.length > MAX_DESCRIPTION) {
        throw new Error(
          `KpiNamedQueries: query "${query.name}" has a ${query.name.length}-character name and a ${query.description.length}-character description; allowed: at most ${MAX_NAME} and ${MAX_DESCRIPTION}.`,
        );
      }
      const named = new athena.CfnNamedQuery(this, query.name.replaceAll('/', '-'), {
        name: query.name,
        description: query.description,
        database: props.databaseName,
        workGroup: props.workGroup.name,
        queryString: query.sql,
      });
      named.node.addDependency(props.workGroup.workGroup);
      return named;
    });
  }
}
