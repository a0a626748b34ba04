import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { lakeWindow } from '../../lambdas/core/lake-window';
import { type ImportCounts, type Rejection, summaryLines } from '../../lambdas/import/import-counts';
import { importReportPrefix, importRunId } from '../../lambdas/import/import-report';
import { LOCAL_LAKE_START_SETTING } from '../cli/cli-flags';
import { ProgressBar, type ProgressOutput } from '../cli/progress-bar';
import { DuckDbEngine } from '../duckdb/duckdb-engine';
import { Lake } from '../lake/lake';
import { importIntoLake } from './lake-import';
import { importSources } from './local-files';

export interface LocalImportOptions {
  readonly dataDir: string;
  /** Files, folders and glob patterns. */
  readonly paths: readonly string[];
  readonly appMap: ReadonlyMap<string, string>;
  /** The lake's first day, as `npm start` has it (`--lake-start-date`). */
  readonly lakeStartDate: string;
  readonly dryRun: boolean;
  /** Where the progress bar draws. */
  readonly progress: ProgressOutput;
  /** @default Date.now */
  readonly now?: () => number;
}

export interface LocalImportResult {
  readonly counts: ImportCounts;
  /** The rejections report, when there were rejections. */
  readonly reportPath?: string;
  readonly seconds: number;
  /** The lines to print. */
  readonly summary: string;
}

const mib = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MiB`;
const number = (n: number) => n.toLocaleString('en-US');

/** Writes rejections as NDJSON lines, in order, creating the report file at the first one. */
class RejectionReport {
  private stream: WriteStream | undefined;
  private pending: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  get written(): boolean {
    return this.stream !== undefined;
  }

  add(rejection: Rejection): void {
    this.pending = this.pending.then(() => this.write(rejection));
  }

  async close(): Promise<void> {
    await this.pending;
    const stream = this.stream;
    if (!stream) return;
    await new Promise<void>((resolve, reject) => {
      stream.once('error', reject);
      stream.end(() => resolve());
    });
  }

  private async write(rejection: Rejection): Promise<void> {
    if (!this.stream) {
      await mkdir(dirname(this.path), { recursive: true });
      this.stream = createWriteStream(this.path);
    }
    const stream = this.stream;
    if (!stream.write(`${JSON.stringify(rejection)}\n`)) {
      await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
    }
  }
}

/**
 * `npm run import` on this machine: opens the lake, taking its lock (a running server holds it,
 * and the import says so in one line: ADR 023), reads the files with a progress bar over their
 * bytes, writes new events through the lake's sink (its log, converted to Parquet in the
 * background and before the lake is closed), and returns the summary; rejections go to
 * `<data dir>/import-reports/<run>/rejected.ndjson`.
 */
export async function runLocalImport(options: LocalImportOptions): Promise<LocalImportResult> {
  const sources = await importSources(options.paths);
  const totalBytes = sources.reduce((n, s) => n + s.size, 0);
  const instance = await DuckDBInstance.create(':memory:');
  let lake: Lake;
  try {
    lake = await Lake.open({ dataDir: options.dataDir, command: 'npm run import', instance });
  } catch (err) {
    instance.closeSync();
    throw err;
  }
  const now = options.now ?? Date.now;
  const report = new RejectionReport(
    join(lake.dataDir, importReportPrefix(importRunId(now())), 'rejected.ndjson'),
  );
  const started = performance.now();
  try {
    const bar = new ProgressBar(options.progress, options.dryRun ? 'Reading' : 'Importing', totalBytes);
    const counts = await importIntoLake({
      sources,
      sink: lake.sink,
      // Over the live lake: the look-ups see the events still in its log as well as its files.
      engine: new DuckDbEngine({ events: lake, instance }),
      appMap: options.appMap,
      lake: lakeWindow(options.lakeStartDate, LOCAL_LAKE_START_SETTING),
      now,
      dryRun: options.dryRun,
      onRejected: (rejection) => report.add(rejection),
      onProgress: (bytes) => bar.update(bytes, `${mib(bytes)} of ${mib(totalBytes)}`),
    });
    await report.close();
    // Converts what the import wrote to the log into Parquet before the lock is released.
    await lake.close();
    const seconds = (performance.now() - started) / 1000;
    const rate = number(Math.round(counts.imported / Math.max(seconds, 0.001)));
    const files = `${number(counts.files)} file${counts.files === 1 ? '' : 's'} (${mib(counts.bytes)})`;
    const head = options.dryRun
      ? `Dry run: ${number(counts.imported)} new events in ${files}; no event was stored in ${lake.dataDir}`
      : `Imported ${number(counts.imported)} events from ${files} into ${lake.dataDir} in ${seconds.toFixed(1)} s (${rate} events/s)`;
    const lines = [head, ...summaryLines(counts, { duplicatesCounted: true })];
    if (report.written) lines.push(`  report of every rejected record: ${report.path}`);
    bar.finish(`Read ${files}`);
    return {
      counts,
      reportPath: report.written ? report.path : undefined,
      seconds,
      summary: lines.join('\n'),
    };
  } finally {
    await lake.close();
    instance.closeSync();
  }
}
