import { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { EVENT_COLUMNS, hiveType } from '../../lambdas/core/event-record';
import { EventsTable } from '../../lib/events-table';
import { type Json, onlyResource, synthTemplate } from './synth';

type Join = { 'Fn::Join': [string, unknown[]] };

/** The events table among the database's tables (the rollup tables are ADR 019's). */
const EVENTS = { TableInput: { Name: 'events' } };

describe('Glue events table', () => {
  let template: Template;
  let tableInput: Json;
  beforeAll(() => {
    template = synthTemplate();
    tableInput = (onlyResource(template, 'AWS::Glue::Table', EVENTS).Properties as Json).TableInput;
  });

  it('lives in a database named after the prefix, with underscores', () => {
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'mobile_kpi' } });
    template.hasResourceProperties('AWS::Glue::Table', {
      DatabaseName: 'mobile_kpi',
      TableInput: { Name: 'events' },
    });
    const other = synthTemplate({ prefix: 'acme-games-kpi' });
    other.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'acme_games_kpi' } });
  });

  it('declares every column of the event schema, in order, with its Hive type', () => {
    expect(
      tableInput.StorageDescriptor.Columns.map((c: { Name: string; Type: string }) => [c.Name, c.Type]),
    ).toEqual(EVENT_COLUMNS.map((c) => [c.name, hiveType(c.type)]));
  });

  it('keeps custom attributes and metrics as maps, so no custom field is dropped', () => {
    const types = Object.fromEntries(tableInput.StorageDescriptor.Columns.map((c: Json) => [c.Name, c.Type]));
    expect(types.attributes).toBe('map<string,string>');
    expect(types.metrics).toBe('map<string,double>');
    expect(types.event_timestamp).toBe('bigint');
    expect(types.awsaccountid).toBe('string');
  });

  it('reads Parquet', () => {
    expect(tableInput.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(
      'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    );
    expect(tableInput.StorageDescriptor.InputFormat).toBe(
      'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
    );
    expect(tableInput.Parameters.classification).toBe('parquet');
  });

  it('is partitioned by app_id and dt as strings, outside the file columns', () => {
    expect(tableInput.PartitionKeys).toEqual([
      { Name: 'app_id', Type: 'string' },
      { Name: 'dt', Type: 'string' },
    ]);
    const names = tableInput.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name);
    expect(names).not.toContain('app_id');
    expect(names).not.toContain('dt');
  });

  it('projects partitions: app_id injected, dt a daily date range up to tomorrow', () => {
    expect(tableInput.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.app_id.type': 'injected',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.dt.range': '2014-01-01,NOW+1DAYS',
      'projection.dt.interval': '1',
      'projection.dt.interval.unit': 'DAYS',
    });
    const later = onlyResource(
      synthTemplate({ lakeStartDate: '2024-06-01' }),
      'AWS::Glue::Table',
      EVENTS,
    ) as Json;
    expect(later.Properties.TableInput.Parameters['projection.dt.range']).toBe('2024-06-01,NOW+1DAYS');
  });

  it('has a storage location template equal to the Firehose prefix in the same bucket', () => {
    const destination = (onlyResource(template, 'AWS::KinesisFirehose::DeliveryStream').Properties as Json)
      .ExtendedS3DestinationConfiguration;
    const firehosePrefix: string = destination.Prefix;
    const [, parts] = (tableInput.Parameters['storage.location.template'] as Join)['Fn::Join'];
    const [scheme, bucketRef, path] = parts as [string, { Ref: string }, string];
    expect(scheme).toBe('s3://');
    expect(destination.BucketARN).toEqual({ 'Fn::GetAtt': [bucketRef.Ref, 'Arn'] });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Glue's projection placeholders are literally ${name}
    expect(`/${firehosePrefix.replace(/!\{partitionKeyFromLambda:(\w+)\}/g, '${$1}')}`).toBe(path);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Glue's projection placeholders are literally ${name}
    expect(path).toBe('/events/app_id=${app_id}/dt=${dt}/');
  });

  it('rejects a database name Glue would not accept', () => {
    const stack = new Stack();
    expect(
      () => new EventsTable(stack, 'T', { bucket: new Bucket(stack, 'B'), databaseName: 'Mobile-KPI' }),
    ).toThrow(
      'EventsTable databaseName: got "Mobile-KPI"; allowed: 1 to 255 lower-case letters, digits or underscores.',
    );
  });
});
