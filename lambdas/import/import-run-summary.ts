import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { addCounts, cappedCounts, type ImportCounts, NO_COUNTS } from './import-counts';
import type { ImportObjectResult } from './import-object';
import { importReportPrefix } from './import-report';

/** The summary step's input: the run and what the Distributed Map state returned with a ResultWriter. */
export interface ImportSummaryInput {
  readonly run: string;
  readonly map: {
    readonly MapRunArn?: string;
    readonly ResultWriterDetails?: { readonly Bucket?: string; readonly Key?: string };
  };
}

/** An object whose child execution failed (after its retries): nothing or part of it was imported. */
export interface FailedObject {
  readonly source: string;
  readonly error: string;
}

export interface ImportRunSummary extends ImportCounts {
  readonly run: string;
  readonly failedObjects: number;
  /** The first failures, at most {@link MAX_FAILURES_LISTED}; all are in the summary file. */
  readonly failures: readonly FailedObject[];
  /** `s3://<lake bucket>/import-reports/<run>/`. */
  readonly reports: string;
}

const MAX_FAILURES_LISTED = 20;
/** Event types and reasons in the returned summary (all are in the summary file). */
const MAX_KEYS_LISTED = 50;

interface ResultFile {
  readonly Key?: string;
}

/** One entry of a ResultWriter file (Transformation NONE: the child execution's metadata, input and output as text). */
interface ChildExecution {
  readonly Input?: string;
  readonly Output?: string;
  readonly Error?: string;
  readonly Cause?: string;
  readonly Status?: string;
}

async function readJson(s3: S3Client, bucket: string, key: string): Promise<unknown> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse((await object.Body?.transformToString()) ?? 'null');
}

/** A ResultWriter file: a JSON array of executions, or JSON lines of them (OutputType JSONL). */
async function executions(s3: S3Client, bucket: string, key: string): Promise<ChildExecution[]> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const text = (await object.Body?.transformToString()) ?? '';
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as ChildExecution[];
  return trimmed.split('\n').map((line) => JSON.parse(line) as ChildExecution);
}

function parsed(text: string | undefined): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text ?? '');
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Adds up an import run (the summary step of the state machine): reads the Map run's
 * ResultWriter manifest in the lake bucket, sums the counts every object returned, lists the
 * objects whose execution failed, writes it all to `import-reports/<run>/summary.json` and
 * returns it (failures cut to the first few) as the execution's output, which the CLI prints.
 * File layout per https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
 * (`manifest.json` with `ResultFiles.SUCCEEDED` / `FAILED` / `PENDING` lists).
 */
export async function summariseImportRun(
  input: ImportSummaryInput,
  deps: { readonly s3: S3Client; readonly reportBucket: string },
): Promise<ImportRunSummary> {
  const details = input.map.ResultWriterDetails;
  const bucket = details?.Bucket ?? deps.reportBucket;
  if (!details?.Key)
    throw new Error('The Map state returned no ResultWriterDetails.Key: no results to add up');
  const manifest = (await readJson(deps.s3, bucket, details.Key)) as {
    ResultFiles?: Record<string, readonly ResultFile[]>;
  };
  const files = manifest.ResultFiles ?? {};
  let counts: ImportCounts = NO_COUNTS;
  const failures: FailedObject[] = [];
  for (const file of files.SUCCEEDED ?? []) {
    if (!file.Key) continue;
    for (const execution of await executions(deps.s3, bucket, file.Key)) {
      const result = parsed(execution.Output) as Partial<ImportObjectResult>;
      counts = addCounts(counts, { ...NO_COUNTS, ...result });
    }
  }
  for (const status of ['FAILED', 'PENDING'] as const) {
    for (const file of files[status] ?? []) {
      if (!file.Key) continue;
      for (const execution of await executions(deps.s3, bucket, file.Key)) {
        const item = parsed(execution.Input);
        const source =
          typeof item.key === 'string' ? `s3://${String(item.bucket)}/${item.key}` : (execution.Input ?? '?');
        const error = [execution.Status ?? status, execution.Error, execution.Cause]
          .filter(Boolean)
          .join(': ');
        failures.push({ source, error });
      }
    }
  }
  const prefix = importReportPrefix(input.run);
  const summary: ImportRunSummary = {
    ...counts,
    run: input.run,
    failedObjects: failures.length,
    failures,
    reports: `s3://${deps.reportBucket}/${prefix}`,
  };
  await deps.s3.send(
    new PutObjectCommand({
      Bucket: deps.reportBucket,
      Key: `${prefix}summary.json`,
      Body: JSON.stringify(summary, null, 2),
      ContentType: 'application/json',
    }),
  );
  return cappedCounts({ ...summary, failures: failures.slice(0, MAX_FAILURES_LISTED) }, MAX_KEYS_LISTED);
}
