import type { EventRecord } from '../core/event-record';
import { readExport } from './export-reader';
import type { CountsBuilder, Rejection } from './import-counts';
import { type ImportContext, importRecord } from './import-record';
import type { ImportSource } from './import-source';

export interface ImportFileOptions {
  /** App map, lake and import time (the arrival time is the file's own). */
  readonly context: Omit<ImportContext, 'arrivalTimestamp'>;
  /** Gets the file, its skipped records and its rejections. */
  readonly counts: CountsBuilder;
  /** Told each rejection, e.g. to write the report. */
  readonly onRejected?: (rejection: Rejection) => void;
  /** Told how many bytes of the file were read, as they are read. */
  readonly onBytes?: (bytes: number) => void;
}

/**
 * The app events of one export file, normalised, in file order, in batches. The file is the unit the
 * importer reads as one request, so importing it again gives the same records. Skipped and
 * rejected records go to the counts (and `onRejected`), never stop the file.
 */
export async function* importFile(
  source: ImportSource,
  options: ImportFileOptions,
): AsyncGenerator<EventRecord[]> {
  const { counts } = options;
  const context: ImportContext = { ...options.context, arrivalTimestamp: source.lastModified };
  const reject = (position: string, reason: string) => {
    const rejection = { file: source.name, position, reason };
    counts.reject(rejection);
    options.onRejected?.(rejection);
  };
  counts.add({ files: 1, bytes: source.size });
  for await (const batch of readExport(source, options.onBytes)) {
    const events: EventRecord[] = [];
    for (const raw of batch) {
      if (raw.error !== undefined) {
        reject(raw.position, raw.error);
        continue;
      }
      const outcome = importRecord(raw.value, context);
      if (outcome.kind === 'event') events.push(outcome.record);
      else if (outcome.kind === 'skipped') counts.skip(outcome.eventType);
      else reject(raw.position, outcome.reason);
    }
    if (events.length > 0) yield events;
  }
}
