import type { ImportSource } from '../../../lambdas/import/import-source';

/** An import source over bytes in memory, streamed in chunks of `chunkBytes` (small, to cut records and characters apart). */
export function memorySource(
  name: string,
  content: Uint8Array | string,
  options: { chunkBytes?: number; lastModified?: number } = {},
): ImportSource {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  const chunkBytes = options.chunkBytes ?? 7;
  return {
    name,
    size: bytes.byteLength,
    lastModified: options.lastModified ?? 1_700_000_000_000,
    stream: async function* () {
      for (let i = 0; i < bytes.byteLength; i += chunkBytes) yield bytes.subarray(i, i + chunkBytes);
    },
    read: async (start, end) => bytes.slice(start, end),
  };
}
