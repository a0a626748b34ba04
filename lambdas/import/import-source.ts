/**
 * One file or S3 object to import: its name for reports, its size for progress, and its bytes,
 * streamed (JSON, gzip) or by range (Parquet, which is read from its footer).
 */
export interface ImportSource {
  /** The path or `s3://bucket/key`, as reports name it. */
  readonly name: string;
  readonly size: number;
  /** Last change, ms since epoch: the arrival time of records that carry none. */
  readonly lastModified: number;
  /** The whole content, from the start. */
  stream(): AsyncIterable<Uint8Array>;
  /** Bytes `start` (inclusive) to `end` (exclusive). */
  read(start: number, end: number): Promise<Uint8Array>;
}
