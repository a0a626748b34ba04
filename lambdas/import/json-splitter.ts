/** One top-level JSON value of a byte stream, or a stretch of bytes that cannot be one. */
export interface JsonPiece {
  /** 1-based number of the piece in the stream. */
  readonly index: number;
  /** Byte offset of its first byte in the (decompressed) stream. */
  readonly offset: number;
  /** The value's text, when its brackets balance; still to be parsed. */
  readonly text?: string;
  /** Why these bytes are not a value. */
  readonly error?: string;
}

const LF = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const isSpace = (b: number) => b === 0x20 || b === 0x09 || b === 0x0d || b === LF;
const BOM = [0xef, 0xbb, 0xbf];

/** A value that grows past this is taken as broken (an unbalanced bracket swallowing what follows). */
export const MAX_JSON_VALUE_BYTES = 8 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  return Buffer.concat(parts);
}

/** Bytes of a stretch that is not JSON shown in its error. */
const JUNK_SHOWN = 24;

function shownStart(bytes: readonly number[]): string {
  const text = Buffer.from(bytes.slice(0, JUNK_SHOWN)).toString('utf8').replace(/\s+/g, ' ').trim();
  return JSON.stringify(bytes.length > JUNK_SHOWN ? `${text}…` : text);
}

/**
 * Splits a byte stream into its top-level JSON objects (and arrays): values written one after
 * another with or without whitespace or newlines between them, as Amazon Data Firehose writes
 * records to S3 ("By default, Firehose concatenates data without any delimiters",
 * https://docs.aws.amazon.com/firehose/latest/dev/basic-deliver.html) and as JSON-lines files
 * hold them. It tracks strings and bracket depth, never parses. What cannot be a value becomes
 * an error piece and the split goes on: bytes outside any object, a value cut by a line break
 * inside one of its strings, a value larger than {@link MAX_JSON_VALUE_BYTES} and a value the
 * stream ends inside (a truncated last record); for the last two, the split resumes at the next
 * line that starts with `{`, so one broken line does not swallow the lines after it.
 */
export class JsonSplitter {
  private pieces: JsonPiece[] = [];
  private index = 0;
  /** Stream offset of the next byte pushed. */
  private offset = 0;
  /** Inside a value: its bytes so far and where it started; outside: undefined. */
  private parts: Uint8Array[] | undefined;
  private bytes = 0;
  private start = 0;
  /** Outside values: a stretch of bytes that is not JSON, and where it started. */
  private junk: { start: number; head: number[] } | undefined;
  private depth = 0;
  private inString = false;
  private escaped = false;

  /** Feeds the next bytes; returns the pieces they completed. */
  push(chunk: Uint8Array): JsonPiece[] {
    this.scan(chunk, 0);
    this.offset += chunk.length;
    return this.take();
  }

  /** Ends the stream; returns what is left (an unfinished value is an error piece). */
  end(): JsonPiece[] {
    this.closeJunk(this.offset);
    if (this.parts) this.resync('the data ends inside this record (the file is truncated)');
    return this.take();
  }

  private take(): JsonPiece[] {
    const out = this.pieces;
    this.pieces = [];
    return out;
  }

  private scan(chunk: Uint8Array, from: number): void {
    let valueFrom = this.parts ? from : -1;
    for (let i = from; i < chunk.length; i++) {
      const b = chunk[i] as number;
      if (valueFrom < 0) {
        if (b === OPEN_BRACE || b === OPEN_BRACKET) {
          this.closeJunk(this.offset + i);
          this.parts = [];
          this.bytes = 0;
          this.start = this.offset + i;
          this.depth = 1;
          this.inString = false;
          this.escaped = false;
          valueFrom = i;
        } else if (b === LF) {
          this.closeJunk(this.offset + i);
        } else if (this.offset + i < BOM.length && b === BOM[this.offset + i]) {
          // A byte order mark at the start of the stream is not content.
        } else if (this.junk || !isSpace(b)) {
          this.junk ??= { start: this.offset + i, head: [] };
          if (this.junk.head.length <= JUNK_SHOWN) this.junk.head.push(b);
        }
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) this.inString = false;
        else if (b === LF) {
          this.addPart(chunk.subarray(valueFrom, i));
          this.fail('a line break inside a string: the record is cut short or malformed');
          valueFrom = -1;
        }
        continue;
      }
      if (b === QUOTE) this.inString = true;
      else if (b === OPEN_BRACE || b === OPEN_BRACKET) this.depth++;
      else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        this.depth--;
        if (this.depth === 0) {
          this.addPart(chunk.subarray(valueFrom, i + 1));
          this.complete();
          valueFrom = -1;
        }
      }
    }
    if (valueFrom >= 0 && this.parts) {
      this.addPart(chunk.subarray(valueFrom));
      if (this.bytes > MAX_JSON_VALUE_BYTES) {
        this.resync(`a record over ${MAX_JSON_VALUE_BYTES} bytes, or one whose brackets never close`);
      }
    }
  }

  private addPart(part: Uint8Array): void {
    // Chunks may be reused by their producer: keep a copy of what outlives this push.
    this.parts?.push(Uint8Array.from(part));
    this.bytes += part.length;
  }

  private complete(): void {
    const bytes = concat(this.parts ?? []);
    this.parts = undefined;
    this.index++;
    try {
      this.pieces.push({ index: this.index, offset: this.start, text: utf8.decode(bytes) });
    } catch {
      this.pieces.push({ index: this.index, offset: this.start, error: 'the record is not UTF-8 text' });
    }
  }

  private fail(error: string): void {
    this.parts = undefined;
    this.index++;
    this.pieces.push({ index: this.index, offset: this.start, error });
  }

  private closeJunk(end: number): void {
    if (!this.junk) return;
    this.index++;
    this.pieces.push({
      index: this.index,
      offset: this.junk.start,
      error: `${end - this.junk.start} bytes that are not a JSON record, starting ${shownStart(this.junk.head)}`,
    });
    this.junk = undefined;
  }

  /**
   * The value being read is broken: report it up to the next line that starts with `{`, and
   * scan again from there, so that records after a broken line are still read.
   */
  private resync(error: string): void {
    const bytes = concat(this.parts ?? []);
    const start = this.start;
    let restart = -1;
    for (let i = 1; i < bytes.length - 1 && restart < 0; i++) {
      if (bytes[i] === LF) {
        let j = i + 1;
        while (j < bytes.length && isSpace(bytes[j] as number)) j++;
        if (bytes[j] === OPEN_BRACE) restart = i + 1;
      }
    }
    this.fail(restart < 0 ? error : 'a record cut short (the next line starts a new record)');
    if (restart < 0) return;
    const rest = bytes.subarray(restart);
    const savedOffset = this.offset;
    this.offset = start + restart;
    this.scan(rest, 0);
    this.offset = savedOffset;
  }
}

/** {@link JsonSplitter} over an async stream of byte chunks. */
export async function* splitJson(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<JsonPiece> {
  const splitter = new JsonSplitter();
  for await (const chunk of chunks) yield* splitter.push(chunk);
  yield* splitter.end();
}
