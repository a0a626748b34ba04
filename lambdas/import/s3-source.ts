import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ImportSource } from './import-source';

async function* body(stream: unknown): AsyncGenerator<Uint8Array> {
  // In Node.js the GetObject body is an IncomingMessage: an async iterable of Buffers.
  for await (const chunk of stream as AsyncIterable<Uint8Array>) yield chunk;
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
    read: async (start, end) => {
      if (end <= start) return new Uint8Array(0);
      const object = await client.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${end - 1}` }),
      );
      return (await object.Body?.transformToByteArray()) ?? new Uint8Array(0);
    },
  };
}
