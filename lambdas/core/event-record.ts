/**
 * The event record of docs/CONTRACT.md §1: one JSON object per event in the Amazon Pinpoint
 * event-stream layout for app events (`event_version` "3.1"). This file is the single
 * source of the record's shape: the TypeScript type, and the column schema from which
 * the Glue table (Athena) and the local lake (DuckDB) are both declared.
 */

export const EVENT_VERSION = '3.1';

/** The reserved event type of an endpoint profile (docs/CONTRACT.md §1, §2d); no KPI counts it. */
export const ENDPOINT_UPDATE_EVENT_TYPE = '_endpoint.update';

export interface EventRecord {
  /** Dedup key: the client's event id, else a deterministic hash (see ingest/normalise). */
  event_id: string;
  event_type: string;
  /** ms since epoch, the device's time of the event. */
  event_timestamp: number;
  /** ms since epoch, when the pipeline received it. */
  arrival_timestamp: number;
  event_version: typeof EVENT_VERSION;
  application: {
    app_id: string;
    cognito_identity_pool_id?: string;
    package_name?: string;
    title?: string;
    version_name?: string;
    version_code?: string;
    sdk?: { name?: string; version?: string };
  };
  client: { client_id: string; cognito_id?: string };
  device: {
    locale?: { code?: string; country?: string; language?: string };
    make?: string;
    model?: string;
    platform?: { name?: string; version?: string };
  };
  session: { session_id?: string; start_timestamp?: number; stop_timestamp?: number };
  attributes: Record<string, string>;
  metrics: Record<string, number>;
  /** The Pinpoint endpoint the request carried, as JSON text (its shape is open-ended). */
  endpoint?: string;
  awsAccountId?: string;
}

/** Column types the schema uses; rendered per engine by {@link hiveType} and by the DuckDB adapter. */
export type ColumnType =
  | 'string'
  | 'bigint'
  | 'double'
  | { readonly struct: readonly Column[] }
  | { readonly map: 'string' | 'double' };

export interface Column {
  /** Column name as stored (Glue lower-cases names; the record key may differ in case). */
  readonly name: string;
  /** The record's JSON key, when it differs from `name`. */
  readonly jsonKey?: string;
  readonly type: ColumnType;
  readonly comment?: string;
}

const str = (name: string): Column => ({ name, type: 'string' });
const big = (name: string): Column => ({ name, type: 'bigint' });

/** Every column of the `events` table, in order. Partition columns are {@link PARTITION_COLUMNS}. */
export const EVENT_COLUMNS: readonly Column[] = [
  { ...str('event_id'), comment: 'dedup key: client event id or deterministic hash' },
  str('event_type'),
  { ...big('event_timestamp'), comment: 'ms since epoch, device time' },
  { ...big('arrival_timestamp'), comment: 'ms since epoch, pipeline time' },
  str('event_version'),
  {
    name: 'application',
    type: {
      struct: [
        str('app_id'),
        str('cognito_identity_pool_id'),
        str('package_name'),
        str('title'),
        str('version_name'),
        str('version_code'),
        { name: 'sdk', type: { struct: [str('name'), str('version')] } },
      ],
    },
  },
  { name: 'client', type: { struct: [str('client_id'), str('cognito_id')] } },
  {
    name: 'device',
    type: {
      struct: [
        { name: 'locale', type: { struct: [str('code'), str('country'), str('language')] } },
        str('make'),
        str('model'),
        { name: 'platform', type: { struct: [str('name'), str('version')] } },
      ],
    },
  },
  {
    name: 'session',
    type: { struct: [str('session_id'), big('start_timestamp'), big('stop_timestamp')] },
  },
  { name: 'attributes', type: { map: 'string' } },
  { name: 'metrics', type: { map: 'double' } },
  { ...str('endpoint'), comment: 'Pinpoint endpoint as JSON text' },
  { name: 'awsaccountid', jsonKey: 'awsAccountId', type: 'string' },
];

/** Partition columns, in path order: `app_id=<id>/dt=<YYYY-MM-DD>/` (dt is the UTC day of event_timestamp). */
export const PARTITION_COLUMNS: readonly Column[] = [str('app_id'), str('dt')];

/** Renders a column type in Hive/Glue DDL syntax, e.g. `struct<name:string,version:string>`. */
export function hiveType(type: ColumnType): string {
  if (typeof type === 'string') return type;
  if ('map' in type) return `map<string,${type.map}>`;
  return `struct<${type.struct.map((c) => `${c.name}:${hiveType(c.type)}`).join(',')}>`;
}
