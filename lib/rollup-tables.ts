import { Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { Column } from '../lambdas/core/event-record';
import { ROLLUPS_PREFIX } from '../lambdas/core/lake-layout';
import { ROLLUP_TABLES, type RollupTable } from '../lambdas/rollups/rollup-tables';
import type { EventsTable } from './events-table';

export interface RollupTablesProps {
  /** The lake bucket; each table lives under `rollups/<folder>/`. */
  readonly bucket: s3.IBucket;
  /** The database of the events table; the rollup tables join it. */
  readonly events: EventsTable;
}

/** Iceberg's names for the column types of `lambdas/rollups/rollup-tables.ts`. */
const ICEBERG_TYPES: Readonly<Record<string, string>> = {
  string: 'string',
  bigint: 'long',
  double: 'double',
};

function icebergType(column: Column): string {
  const type = typeof column.type === 'string' ? ICEBERG_TYPES[column.type] : undefined;
  if (type === undefined)
    throw new Error(`Rollup column ${column.name}: no Iceberg type for ${JSON.stringify(column.type)}`);
  return type;
}

/** First partition field id: Iceberg numbers partition fields from 1000. */
const FIRST_PARTITION_FIELD_ID = 1000;

/**
 * The rollup tables (`lambdas/rollups/rollup-tables.ts`, docs/ROLLUPS.md) as Apache Iceberg v2
 * tables in the Glue database of `events`, created with the stack (AWS::Glue::Table with
 * OpenTableFormatInput), so the KPI Lambda can name them from the first deployment, before the
 * rollup job has run: identity partitions `app_id` (and `dt`), Parquet with ZSTD, files sorted by
 * the table's `sortedBy`. The rollup job writes them with MERGE (one atomic commit per
 * statement, ADR 019).
 */
export class RollupTables extends Construct {
  readonly tables: readonly glue.CfnTable[];
  readonly databaseName: string;

  constructor(scope: Construct, id: string, props: RollupTablesProps) {
    super(scope, id);
    this.databaseName = props.events.databaseName;
    this.tables = ROLLUP_TABLES.map((table) => this.icebergTable(table, props));
  }

  private icebergTable(table: RollupTable, props: RollupTablesProps): glue.CfnTable {
    const columns = [...table.partitionColumns, ...table.columns];
    const fieldId = (name: string) => columns.findIndex((c) => c.name === name) + 1;
    const cfn = new glue.CfnTable(this, table.name, {
      catalogId: Stack.of(this).account,
      databaseName: this.databaseName,
      tableInput: { name: table.name, description: table.description },
      openTableFormatInput: {
        icebergInput: {
          metadataOperation: 'CREATE',
          version: '2',
          icebergTableInput: {
            location: `s3://${props.bucket.bucketName}/${ROLLUPS_PREFIX}${table.folder}/`,
            schema: {
              schemaId: 0,
              type: 'struct',
              fields: columns.map((c, i) => ({
                id: i + 1,
                name: c.name,
                type: icebergType(c),
                required: false,
                doc: c.comment,
              })),
            },
            partitionSpec: {
              specId: 0,
              fields: table.partitionColumns.map((c, i) => ({
                sourceId: fieldId(c.name),
                fieldId: FIRST_PARTITION_FIELD_ID + i,
                name: c.name,
                transform: 'identity',
              })),
            },
            writeOrder: {
              orderId: 1,
              fields: table.sortedBy.map((name) => ({
                sourceId: fieldId(name),
                transform: 'identity',
                direction: 'asc',
                nullOrder: 'nulls-first',
              })),
            },
            properties: {
              'write.format.default': 'parquet',
              'write.parquet.compression-codec': 'zstd',
            },
          },
        },
      },
    });
    cfn.node.addDependency(props.events.database);
    return cfn;
  }

  /** ARNs of the rollup tables, for IAM statements. */
  get arns(): string[] {
    const stack = Stack.of(this);
    return ROLLUP_TABLES.map((t) =>
      stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/${t.name}` }),
    );
  }
}
