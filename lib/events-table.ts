import { Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EVENT_COLUMNS, hiveType, PARTITION_COLUMNS } from '../lambdas/core/event-record';
import { EVENTS_PREFIX, EVENTS_TABLE } from '../lambdas/core/lake-layout';
import { DEFAULT_LAKE_START_DATE, MAX_EVENT_AHEAD_MS } from '../lambdas/core/lake-window';
import { DAY_MS } from '../lambdas/core/time';
import { partitionPrefix } from './partition-prefix';

export interface EventsTableProps {
  /** The lake bucket; the table reads `events/` in it. */
  readonly bucket: s3.IBucket;
  /** Glue database name: lower-case letters, digits and `_`. */
  readonly databaseName: string;
  /** The lake's first day (`YYYY-MM-DD`), where the `dt` projection range starts. @default '2014-01-01' */
  readonly lakeStartDate?: string;
}

/**
 * The Glue database and the `events` table over the lake's Parquet files: columns exactly
 * EVENT_COLUMNS, partitions `app_id` (injected) and `dt` (date) by partition projection, so no
 * crawler, MSCK REPAIR or partition Lambda is ever needed.
 */
export class EventsTable extends Construct {
  readonly database: glue.CfnDatabase;
  readonly table: glue.CfnTable;
  readonly databaseName: string;
  readonly tableName = EVENTS_TABLE;

  constructor(scope: Construct, id: string, props: EventsTableProps) {
    super(scope, id);
    if (!/^[a-z0-9_]{1,255}$/.test(props.databaseName)) {
      throw new Error(
        `EventsTable databaseName: got "${props.databaseName}"; allowed: 1 to 255 lower-case letters, digits or underscores.`,
      );
    }
    this.databaseName = props.databaseName;
    const catalogId = Stack.of(this).account;
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId,
      databaseInput: {
        name: props.databaseName,
        description: 'Mobile app events (Pinpoint event-stream layout)',
      },
    });
    const location = `s3://${props.bucket.bucketName}/`;
    this.table = new glue.CfnTable(this, 'Table', {
      catalogId,
      databaseName: props.databaseName,
      tableInput: {
        name: EVENTS_TABLE,
        description: 'One row per app event; partitions app_id and dt (UTC day of event_timestamp)',
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          classification: 'parquet',
          EXTERNAL: 'TRUE',
          'projection.enabled': 'true',
          'projection.app_id.type': 'injected',
          'projection.dt.type': 'date',
          'projection.dt.format': 'yyyy-MM-dd',
          // The range ends as far after now as the doors accept an event after its arrival.
          'projection.dt.range': `${props.lakeStartDate ?? DEFAULT_LAKE_START_DATE},NOW+${MAX_EVENT_AHEAD_MS / DAY_MS}DAYS`,
          'projection.dt.interval': '1',
          'projection.dt.interval.unit': 'DAYS',
          'storage.location.template': location + partitionPrefix((column) => `\${${column}}`),
        },
        partitionKeys: PARTITION_COLUMNS.map((c) => ({ name: c.name, type: hiveType(c.type) })),
        storageDescriptor: {
          location: location + EVENTS_PREFIX,
          columns: EVENT_COLUMNS.map((c) => ({ name: c.name, type: hiveType(c.type), comment: c.comment })),
          inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          serdeInfo: {
            serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
            parameters: { 'serialization.format': '1' },
          },
        },
      },
    });
    this.table.node.addDependency(this.database);
  }

  /** ARNs of the catalog, the database and the table, for IAM statements. */
  get arns(): { catalog: string; database: string; table: string } {
    const stack = Stack.of(this);
    return {
      catalog: stack.formatArn({ service: 'glue', resource: 'catalog' }),
      database: stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName }),
      table: stack.formatArn({
        service: 'glue',
        resource: 'table',
        resourceName: `${this.databaseName}/${this.tableName}`,
      }),
    };
  }
}
