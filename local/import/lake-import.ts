import { utcDay } from '../../lambdas/core/calendar-day';
import type { EventRecord } from '../../lambdas/core/event-record';
import type { EventSink } from '../../lambdas/core/event-sink';
import type { LakeWindow } from '../../lambdas/core/lake-window';
import type { QueryEngine } from '../../lambdas/core/query-engine';
import { CountsBuilder, type ImportCounts, type Rejection } from '../../lambdas/import/import-counts';
import { importFile } from '../../lambdas/import/import-file';
import type { ImportSource } from '../../lambdas/import/import-source';
import { eventKey, existingKeys, type PartitionRef } from './lake-keys';

export interface LakeImportOptions {
  readonly sources: readonly ImportSource[];
  /** Where new events go: the lake's own sink. */
  readonly sink: EventSink;
  /** The lake's query engine, to look up the events it already holds. */
  readonly engine: QueryEngine;
  /** Old app id to new. @default none */
  readonly appMap?: ReadonlyMap<string, string>;
  /** The lake's window, as the server has it: events dated outside it are rejected. */
  readonly lake: LakeWindow;
  /** @default Date.now */
  readonly now?: () => number;
  /** Count everything, write nothing. @default false */
  readonly dryRun?: boolean;
  readonly onRejected?: (rejection: Rejection) => void;
  /** Told the bytes read so far, over all files. */
  readonly onProgress?: (bytesRead: number) => void;
  /** Events read before they are checked against the lake and written. @default 100000 */
  readonly chunkEvents?: number;
  /** Event identities kept in memory between chunks; past this, the least recent partitions are looked up again when met. @default 1000000 */
  readonly maxCachedKeys?: number;
}

const partitionOf = (record: EventRecord) => `${record.application.app_id}/${utcDay(record.event_timestamp)}`;

/**
 * Imports export files into the local lake: every record through the importer's normaliser
 * (`lambdas/import`), then, a chunk of events at a time, each event checked against the
 * events its partition already holds (looked up once per partition through the query engine,
 * only their identities) and against those met earlier in the import; new events go to the
 * sink in app and day order, duplicates are only counted. So importing the same files again
 * writes nothing. Memory stays bounded: chunks of events, and a cache of identities that
 * forgets the least recently used partitions.
 */
export async function importIntoLake(options: LakeImportOptions): Promise<ImportCounts> {
  const counts = new CountsBuilder();
  const chunkEvents = options.chunkEvents ?? 100_000;
  const maxCachedKeys = options.maxCachedKeys ?? 1_000_000;
  const known = new Map<string, Set<string>>();
  let cachedKeys = 0;
  let pending: EventRecord[] = [];
  let bytesRead = 0;
  const importedAt = (options.now ?? Date.now)();

  const flush = async () => {
    const chunk = pending;
    pending = [];
    const groups = new Map<string, EventRecord[]>();
    for (const record of chunk) {
      const key = partitionOf(record);
      const group = groups.get(key);
      if (group) group.push(record);
      else groups.set(key, [record]);
    }
    const missing: PartitionRef[] = [...groups.keys()]
      .filter((key) => !known.has(key))
      .map((key) => {
        const [appId = '', dt = ''] = key.split('/');
        return { appId, dt };
      });
    for (const [key, keys] of await existingKeys(options.engine, missing)) {
      known.set(key, keys);
      cachedKeys += keys.size;
    }
    const fresh: EventRecord[] = [];
    let duplicates = 0;
    for (const key of [...groups.keys()].sort()) {
      const keys = known.get(key) ?? new Set<string>();
      // Most recently used last, so that the first entries are the ones to forget.
      known.delete(key);
      known.set(key, keys);
      for (const record of groups.get(key) ?? []) {
        const id = eventKey(record);
        if (keys.has(id)) {
          duplicates++;
          continue;
        }
        keys.add(id);
        cachedKeys++;
        fresh.push(record);
      }
    }
    if (!options.dryRun && fresh.length > 0) await options.sink.put(fresh);
    counts.add({ imported: fresh.length, duplicates });
    for (const [key, keys] of known) {
      if (cachedKeys <= maxCachedKeys) break;
      if (groups.has(key)) continue;
      known.delete(key);
      cachedKeys -= keys.size;
    }
  };

  for (const source of options.sources) {
    const events = importFile(source, {
      context: { appMap: options.appMap ?? new Map(), lake: options.lake, importedAt },
      counts,
      onRejected: options.onRejected,
      onBytes: (bytes) => {
        bytesRead += bytes;
        options.onProgress?.(bytesRead);
      },
    });
    for await (const batch of events) {
      for (const record of batch) pending.push(record);
      if (pending.length >= chunkEvents) await flush();
    }
  }
  if (pending.length > 0) await flush();
  return counts.value;
}
