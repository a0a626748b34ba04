import { Readable } from 'node:stream';

/**
 * A GetObject `Body` as the SDK gives it in Node.js: a readable stream of the bytes (in small
 * chunks) that also has the SDK's `transformToByteArray` and `transformToString`.
 */
// biome-ignore lint/suspicious/noExplicitAny: the SDK's streaming body type is a union the mock does not need
export function s3Body(bytes: Uint8Array | string, chunkBytes = 1000): any {
  const buffer = Buffer.from(bytes);
  const chunks: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += chunkBytes) chunks.push(buffer.subarray(i, i + chunkBytes));
  return Object.assign(Readable.from(chunks), {
    transformToByteArray: async () => new Uint8Array(buffer),
    transformToString: async () => buffer.toString('utf8'),
  });
}
