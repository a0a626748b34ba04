import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ImportSource } from './import-source';

async function* body(stream: unknown): AsyncGenerator<Uint8Array> {
  // In Node.js the GetObject body is an IncomingMessage: an async iterable of Buffers.
  for await (const chunk of stream as AsyncIterable<Uint8Array>) yield chunk;
}

/**
 * An S3 object's bytes, or those from `start` up to `end` (exclusive) when a range is given:
 * one GetObject, read whole. For objects read at once (Parquet footers and row groups, the
 * replay's error objects); {@link s3Source} streams the others.
 */
export async function readObject(
  client: S3Client,
  bucket: string,
  key: string,
  range?: { readonly start: number; readonly end: number },
): Promise<Uint8Array> {
  const object = await client.send(
    new GetObjectCommand({
      Bucket: bucket,
      Key: key,
      Range: range && `bytes=${range.start}-${range.end - 1}`,
    }),
  );
  return (await object.Body?.transformToByteArray()) ?? new Uint8Array(0);
}

/**
 * An S3 object as an {@link ImportSource}: HeadObject for its size and last change, then
 * GetObject streamed (JSON, gzip) or by byte range (Parquet).
 */
export async function s3Source(client: S3Client, bucket: string, key: string): Promise<ImportSource> {
  const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  const size = head.ContentLength ?? 0;
  return {
    name: `s3://${bucket}/${key}`,
    size,
    lastModified: head.LastModified?.getTime() ?? 0,
    stream: async function* () {
      if (size === 0) return;
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      yield* body(object.Body);
    },
    read: async (start, end) =>
      end <= start ? new Uint8Array(0) : readObject(client, bucket, key, { start, end }),
  };
}
