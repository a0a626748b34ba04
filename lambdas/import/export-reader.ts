import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { type AsyncBuffer, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { EVENT_COLUMNS, PARTITION_COLUMNS } from '../core/event-record';
import type { ImportSource } from './import-source';
import { type JsonPiece, JsonSplitter } from './json-splitter';

/** One record of an export as read, not yet normalised: its JSON value, or why it has none. */
export interface RawRecord {
  /** Where it is in its file, e.g. `record 12 at byte 3456`, for reports. */
  readonly position: string;
  readonly value?: unknown;
  readonly error?: string;
}

/** The file's bytes could not be read (network, permissions): the import of the file fails, it is not a bad record. */
export class SourceReadError extends Error {}

const GZIP = [0x1f, 0x8b];
const PARQUET = [0x50, 0x41, 0x52, 0x31]; // "PAR1"
const startsWith = (bytes: Uint8Array, magic: readonly number[]) => magic.every((b, i) => bytes[i] === b);

async function* counted(
  chunks: AsyncIterable<Uint8Array>,
  onBytes: (bytes: number) => void,
): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of chunks) {
      onBytes(chunk.byteLength);
      yield chunk;
    }
  } catch (err) {
    throw new SourceReadError((err as Error).message, { cause: err });
  }
}

async function* chain(
  head: readonly Uint8Array[],
  rest: AsyncIterator<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  yield* head;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

function isZlibError(err: unknown): boolean {
  return (
    typeof (err as NodeJS.ErrnoException).code === 'string' &&
    /^Z_/.test(String((err as NodeJS.ErrnoException).code))
  );
}

/**
 * The records of a JSON stream: each top-level object (concatenated or one per line), each
 * element of a top-level array, in batches. A gzip stream that breaks off ends the file with an
 * error after the records read before it.
 */
async function* jsonRecords(chunks: AsyncIterable<Uint8Array>, where: string): AsyncGenerator<RawRecord[]> {
  const splitter = new JsonSplitter();
  let bytes = 0;
  function records(pieces: readonly JsonPiece[]): RawRecord[] {
    const out: RawRecord[] = [];
    for (const piece of pieces) {
      const position = `record ${piece.index} at byte ${piece.offset}${where}`;
      if (piece.text === undefined) {
        out.push({ position, error: piece.error });
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(piece.text);
      } catch (err) {
        out.push({ position, error: `not valid JSON: ${(err as Error).message}` });
        continue;
      }
      if (Array.isArray(value)) {
        for (const [i, element] of value.entries()) {
          out.push({ position: `${position}, element ${i + 1}`, value: element });
        }
      } else {
        out.push({ position, value });
      }
    }
    return out;
  }
  try {
    for await (const chunk of chunks) {
      bytes += chunk.byteLength;
      const batch = records(splitter.push(chunk));
      if (batch.length > 0) yield batch;
    }
  } catch (err) {
    if (!isZlibError(err)) throw err;
    const error = `the gzip data is truncated or corrupt (${(err as Error).message}); the records before it were read`;
    yield [...records(splitter.end()), { position: `byte ${bytes}${where}`, error }];
    return;
  }
  yield records(splitter.end());
}

function gunzip(chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  // Node's gunzip also reads concatenated gzip members, as `cat a.gz b.gz` makes them.
  const unzip = createGunzip();
  const source = Readable.from(chunks);
  source.on('error', (err) => unzip.destroy(err));
  return source.pipe(unzip);
}

/** A Parquet value as JSON: BigInt as number, nulls left out (the record's optional members). */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      if (member !== null && member !== undefined) out[key] = plain(member);
    }
    return out;
  }
  return value;
}

const PARTITION_NAMES = new Set(PARTITION_COLUMNS.map((c) => c.name));
const RENAMED = EVENT_COLUMNS.filter((c) => c.jsonKey !== undefined);

/**
 * A row of a lake Parquet file (the §1 columns, as Firehose or the local lake writes them) as
 * the §1 JSON record: `awsaccountid` back to `awsAccountId`; partition columns, if a writer put
 * them in the file, left to the folder names they came from.
 */
function lakeRowRecord(row: Record<string, unknown>): unknown {
  const record = plain(row) as Record<string, unknown>;
  for (const column of RENAMED) {
    if (column.name in record) {
      record[column.jsonKey as string] = record[column.name];
      delete record[column.name];
    }
  }
  for (const name of PARTITION_NAMES) delete record[name];
  return record;
}

async function* parquetRecords(source: ImportSource): AsyncGenerator<RawRecord[]> {
  const file: AsyncBuffer = {
    byteLength: source.size,
    slice: async (start, end) => {
      let bytes: Uint8Array;
      try {
        bytes = await source.read(start, end ?? source.size);
      } catch (err) {
        throw new SourceReadError((err as Error).message, { cause: err });
      }
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
  let rowStart = 0;
  try {
    const metadata = await parquetMetadataAsync(file);
    for (const group of metadata.row_groups) {
      const rowEnd = rowStart + Number(group.num_rows);
      const rows = await parquetReadObjects({ file, metadata, rowStart, rowEnd });
      yield rows.map((row, i) => ({ position: `row ${rowStart + i + 1}`, value: lakeRowRecord(row) }));
      rowStart = rowEnd;
    }
  } catch (err) {
    if (err instanceof SourceReadError) throw err;
    yield [
      { position: `row ${rowStart + 1}`, error: `not a readable Parquet file: ${(err as Error).message}` },
    ];
  }
}

/**
 * Reads one export file, whatever it holds, told by its first bytes and not by its name:
 * gzip (then its content), Parquet (our lake's files, Firehose's Parquet output) or JSON
 * records (Pinpoint event-stream objects written by Firehose, Mobile Analytics auto-export
 * files, NDJSON of §1 records). `onBytes` is told how many bytes of the file were read, as
 * they are read. Records come in batches, in file order (one per chunk read, or per Parquet row
 * group). A record that cannot be read comes with its error, and reading goes on; only a
 * failure to read the file itself throws ({@link SourceReadError}).
 */
export async function* readExport(
  source: ImportSource,
  onBytes: (bytes: number) => void = () => undefined,
): AsyncGenerator<RawRecord[]> {
  let read = 0;
  const stream = counted(source.stream(), (n) => {
    read += n;
    onBytes(n);
  });
  const iterator = stream[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  while (headBytes < PARQUET.length) {
    const next = await iterator.next();
    if (next.done) break;
    head.push(next.value);
    headBytes += next.value.byteLength;
  }
  const first = Buffer.concat(head);
  if (first.byteLength === 0) return;
  if (startsWith(first, PARQUET)) {
    await iterator.return?.(undefined);
    yield* parquetRecords(source);
    onBytes(Math.max(0, source.size - read));
    return;
  }
  const content = chain(head, iterator);
  if (startsWith(first, GZIP)) yield* jsonRecords(gunzip(content), ' after decompression');
  else yield* jsonRecords(content, '');
}
