import { gunzipSync } from 'node:zlib';
import { DeleteObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { parseDay } from '../lambdas/core/calendar-day';
import type { EventRecord } from '../lambdas/core/event-record';
import type { EventSink } from '../lambdas/core/event-sink';
import { ERRORS_PREFIX } from '../lambdas/core/lake-layout';
import type { LakeWindow } from '../lambdas/core/lake-window';
import { DAY_MS } from '../lambdas/core/time';
import { readObject } from '../lambdas/import/s3-source';
import { InvalidEventError } from '../lambdas/ingest/normalise/invalid-event';
import { normaliseStreamData } from '../lambdas/ingest/transform-records';
import { ProgressBar, type ProgressOutput } from '../local/cli/progress-bar';
import { awsError } from './aws-error';
import { parseErrorObject } from './error-documents';

export interface ReplayOptions {
  readonly s3: S3Client;
  /** Where replayed records go: the delivery stream (a FirehoseSink, with its batching and retries). */
  readonly sink: EventSink;
  /** The lake bucket; its error prefix is read. */
  readonly bucket: string;
  /** The deployed lake's first day: a record dated before it is still not replayable. */
  readonly lake: LakeWindow;
  /** Only error objects written on or after this UTC day (`YYYY-MM-DD`). @default every one */
  readonly since?: string;
  /** Read and normalise, but send and delete nothing. @default false */
  readonly dryRun?: boolean;
  /** Where the progress bar draws. @default nowhere */
  readonly progress?: ProgressOutput;
  /** @default Date.now */
  readonly now?: () => number;
}

/** A record (or part of an error object) that was not replayed, and why. */
export interface NotReplayed {
  /** The error object's key. */
  readonly key: string;
  /** The record's position in the object (0-based), when the failure is one record's. */
  readonly index?: number;
  readonly reason: string;
}

export interface ReplaySummary {
  readonly dryRun: boolean;
  /** Error objects read. */
  readonly objects: number;
  /** Records found in them. */
  readonly records: number;
  /** Records sent to the stream (in a dry run: that would be sent). */
  readonly replayed: number;
  /** Error objects deleted because every record in them was sent. */
  readonly deleted: number;
  /** Records and objects per error type (`processing-failed`, `format-conversion-failed`, ...). */
  readonly byType: ReadonlyMap<string, { objects: number; records: number }>;
  readonly notReplayed: readonly NotReplayed[];
  /** Objects whose records were all sent but which could not be deleted (a later replay sends them again). */
  readonly notDeleted: readonly NotReplayed[];
}

interface ErrorObject {
  readonly key: string;
  readonly lastModified: number;
}

/** The error type of a key under the prefix `errors/<type>/yyyy/MM/dd/...`. */
const errorType = (key: string) => key.slice(ERRORS_PREFIX.length).split('/')[0] || '(none)';

async function listErrorObjects(s3: S3Client, bucket: string, sinceMs: number): Promise<ErrorObject[]> {
  const objects: ErrorObject[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: ERRORS_PREFIX })) {
    for (const o of page.Contents ?? []) {
      const lastModified = o.LastModified?.getTime() ?? 0;
      if (o.Key && !o.Key.endsWith('/') && lastModified >= sinceMs)
        objects.push({ key: o.Key, lastModified });
    }
  }
  return objects;
}

async function readText(s3: S3Client, bucket: string, key: string): Promise<string> {
  const bytes = Buffer.from(await readObject(s3, bucket, key));
  // Firehose writes error records uncompressed with Parquet conversion; accept gzip all the same.
  return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
}

/**
 * Replays the records Firehose kept under the lake bucket's error prefix (ADR 015): each record
 * is normalised again with the transformer's own function (so one that is still not storable,
 * e.g. dated before the lake's first day, is reported instead of sent), and sent to the delivery
 * stream, which normalises and partitions it as any record. An error object is deleted once every
 * record in it has been sent; one with a record that could not be is kept whole, for a later
 * replay. Sending a record twice is harmless: the KPIs count each event identity once.
 */
export async function replayErrors(options: ReplayOptions): Promise<ReplaySummary> {
  const { s3, sink, bucket, lake, dryRun = false } = options;
  const now = options.now ?? Date.now;
  const sinceMs = options.since === undefined ? 0 : (parseDay(options.since) ?? 0) * DAY_MS;
  const objects = await listErrorObjects(s3, bucket, sinceMs);
  const bar = options.progress && new ProgressBar(options.progress, 'Replaying', objects.length);
  const byType = new Map<string, { objects: number; records: number }>();
  const notReplayed: NotReplayed[] = [];
  const notDeleted: NotReplayed[] = [];
  let records = 0;
  let replayed = 0;
  let deleted = 0;

  for (const [done, object] of objects.entries()) {
    bar?.update(done, `${replayed} records`);
    const { key } = object;
    let content: string;
    try {
      content = await readText(s3, bucket, key);
    } catch (err) {
      notReplayed.push({ key, reason: `cannot read the object: ${awsError(err)}` });
      continue;
    }
    const parts = parseErrorObject(content);
    const type = byType.get(errorType(key)) ?? { objects: 0, records: 0 };
    byType.set(errorType(key), { objects: type.objects + 1, records: type.records + parts.length });
    records += parts.length;
    const batch: EventRecord[] = [];
    let complete = true;
    parts.forEach((part, index) => {
      if ('problem' in part) {
        complete = false;
        notReplayed.push({ key, index, reason: part.problem });
        return;
      }
      try {
        const arrivalTimestamp = part.document.arrivalTimestamp ?? object.lastModified;
        batch.push(normaliseStreamData(part.document.rawData, { arrivalTimestamp, storedAt: now(), lake }));
      } catch (err) {
        if (!(err instanceof InvalidEventError)) throw err;
        complete = false;
        notReplayed.push({ key, index, reason: err.message });
      }
    });
    if (dryRun) {
      replayed += batch.length;
      continue;
    }
    if (batch.length > 0) {
      try {
        await sink.put(batch);
        replayed += batch.length;
      } catch (err) {
        const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
        const reason = `the delivery stream refused it: ${(err as Error).message}${cause}`;
        notReplayed.push({ key, reason: `${batch.length} record(s): ${reason}` });
        continue;
      }
    }
    if (!complete) continue;
    try {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      deleted++;
    } catch (err) {
      notDeleted.push({ key, reason: awsError(err) });
    }
  }
  bar?.update(objects.length, `${replayed} records`);
  return { dryRun, objects: objects.length, records, replayed, deleted, byType, notReplayed, notDeleted };
}

/** How many failures the summary lists one by one; the rest are counted. */
const LISTED = 50;

/** The summary the command prints: counts, then each record that was not replayed and why. */
export function formatReplaySummary(summary: ReplaySummary): string {
  const verb = summary.dryRun ? 'would replay' : 'replayed';
  const types = [...summary.byType].map(
    ([type, n]) => `  ${type}: ${n.records} record(s) in ${n.objects} object(s)`,
  );
  const lines = [
    `Read ${summary.objects} error object(s) holding ${summary.records} record(s); ${verb} ${summary.replayed}` +
      (summary.dryRun
        ? ' (dry run: nothing sent, nothing deleted).'
        : `, deleted ${summary.deleted} object(s).`),
    ...types,
  ];
  const where = (f: NotReplayed) => (f.index === undefined ? f.key : `${f.key} #${f.index}`);
  if (summary.notReplayed.length > 0) {
    lines.push(`Not replayed (${summary.notReplayed.length}); their objects are kept:`);
    for (const f of summary.notReplayed.slice(0, LISTED)) lines.push(`  ${where(f)}: ${f.reason}`);
    if (summary.notReplayed.length > LISTED)
      lines.push(`  ... and ${summary.notReplayed.length - LISTED} more`);
  }
  if (summary.notDeleted.length > 0) {
    lines.push(
      `Replayed but not deleted (${summary.notDeleted.length}); a later replay sends them again, which counts once:`,
    );
    for (const f of summary.notDeleted.slice(0, LISTED)) lines.push(`  ${where(f)}: ${f.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
