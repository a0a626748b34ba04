import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { utcDay } from '../core/calendar-day';
import type { EventRecord } from '../core/event-record';
import type { EventSink } from '../core/event-sink';
import type { LakeWindow } from '../core/lake-window';
import { parseAppMap } from './app-map';
import { CountsBuilder, cappedCounts, type ImportCounts, type Rejection } from './import-counts';
import { importFile } from './import-file';
import { importReportPrefix } from './import-report';
import { s3Source } from './s3-source';

/** One item of the import's Distributed Map: an object to import and the run's settings. */
export interface ImportObjectInput {
  readonly bucket: string;
  readonly key: string;
  /** The run's id: its report folder is `import-reports/<run>/`. */
  readonly run: string;
  /** `old=new` app id pairs. */
  readonly appMap?: readonly string[];
  readonly dryRun?: boolean;
}

/** What one object gave, as the Map run's result of that item. */
export interface ImportObjectResult extends ImportCounts {
  readonly source: string;
  /** Where its rejected records are listed, when it has any. */
  readonly report?: string;
}

export interface ImportObjectDeps {
  readonly s3: S3Client;
  /** The delivery stream, through the Firehose sink. */
  readonly sink: EventSink;
  /** The lake bucket, which holds the reports. */
  readonly reportBucket: string;
  /** The stack's lake: events dated outside it are rejected. */
  readonly lake: LakeWindow;
  /** @default Date.now */
  readonly now?: () => number;
  /** Events held before they are sent in app and day order. @default 200000 */
  readonly maxBufferedEvents?: number;
  /** Rejections listed in an object's report; past this they are only counted. @default 10000 */
  readonly maxReportedRejections?: number;
}

/** Reasons and event types kept in an item's result, so that it stays far below Step Functions' 256 KiB. */
const MAX_KEYS_IN_RESULT = 50;

/**
 * Imports one S3 object into the delivery stream: its records are streamed, normalised
 * (`import-file.ts`), and the events sent grouped by app and day, in that order, so that the
 * stream's dynamic partitioning keeps only a few partitions open at a time (Firehose writes
 * what goes past its active-partition quota under `errors/`). Rejected records are listed in
 * `import-reports/<run>/rejected/<bucket>/<key>.ndjson` of the lake bucket.
 */
export async function importObject(
  input: ImportObjectInput,
  deps: ImportObjectDeps,
): Promise<ImportObjectResult> {
  const maxBuffered = deps.maxBufferedEvents ?? 200_000;
  const maxReported = deps.maxReportedRejections ?? 10_000;
  const appMap = parseAppMap(input.appMap ?? []);
  const source = await s3Source(deps.s3, input.bucket, input.key);
  const counts = new CountsBuilder();
  const rejections: Rejection[] = [];
  let unlisted = 0;
  let groups = new Map<string, EventRecord[]>();
  let buffered = 0;

  const flush = async () => {
    const sending = groups;
    groups = new Map();
    buffered = 0;
    for (const key of [...sending.keys()].sort()) {
      const events = sending.get(key) ?? [];
      if (!input.dryRun) await deps.sink.put(events);
      counts.add({ imported: events.length });
    }
  };

  const events = importFile(source, {
    context: { appMap, lake: deps.lake, importedAt: (deps.now ?? Date.now)() },
    counts,
    onRejected: (rejection) => {
      if (rejections.length < maxReported) rejections.push(rejection);
      else unlisted++;
    },
  });
  for await (const batch of events) {
    for (const event of batch) {
      const key = `${event.application.app_id}/${utcDay(event.event_timestamp)}`;
      const group = groups.get(key);
      if (group) group.push(event);
      else groups.set(key, [event]);
    }
    buffered += batch.length;
    if (buffered >= maxBuffered) await flush();
  }
  await flush();

  let report: string | undefined;
  if (rejections.length > 0) {
    const key = `${importReportPrefix(input.run)}rejected/${input.bucket}/${input.key}.ndjson`;
    const lines = rejections.map((r) => JSON.stringify(r));
    if (unlisted > 0)
      lines.push(JSON.stringify({ file: source.name, unlisted, reason: 'more rejections, not listed' }));
    await deps.s3.send(
      new PutObjectCommand({
        Bucket: deps.reportBucket,
        Key: key,
        Body: `${lines.join('\n')}\n`,
        ContentType: 'application/x-ndjson',
      }),
    );
    report = `s3://${deps.reportBucket}/${key}`;
  }
  return cappedCounts(
    { ...counts.value, source: source.name, ...(report ? { report } : {}) },
    MAX_KEYS_IN_RESULT,
  );
}
