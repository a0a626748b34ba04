import { BadRequestError, HttpError, PayloadTooLargeError } from '../core/errors';
import { MAX_DRAINED_BODY_BYTES } from './normalise/limits';

export interface BodyLimit {
  readonly maxBytes: number;
  /** The limit in the door's own words, e.g. `1024 KB`. */
  readonly label: string;
}

function tooLarge(size: string, limit: BodyLimit): PayloadTooLargeError {
  return new PayloadTooLargeError(
    `The request body is ${size} bytes; at most ${limit.maxBytes} (${limit.label}) are allowed`,
  );
}

/** Reads what is left of a body over its limit, without keeping it, up to the drain bound. */
async function drain(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  size: number,
): Promise<number | undefined> {
  let total = size;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    total += read.value.byteLength;
    if (total > MAX_DRAINED_BODY_BYTES) {
      await reader.cancel();
      return undefined;
    }
  }
  return total;
}

/**
 * The raw request body, measured in bytes before anything parses it. A body over the limit is
 * answered 413, but only after it has been read to its end, up to {@link MAX_DRAINED_BODY_BYTES}
 * (a declared Content-Length over that bound is refused unread), and the 413 closes the
 * connection. Compressed bodies are refused with 415 (the doors take plain JSON).
 */
export async function readBody(request: Request, limit: BodyLimit): Promise<Uint8Array> {
  const encoding = request.headers.get('content-encoding');
  if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') {
    throw new HttpError(
      415,
      `Content-Encoding ${JSON.stringify(encoding)} is not supported; send the JSON uncompressed`,
    );
  }
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > MAX_DRAINED_BODY_BYTES) throw tooLarge(String(declared), limit);
  // A declared length within the limit: HTTP framing holds the body to it, so it is read whole
  // (on the local server without building a web stream for it, @hono/node-server's fast path).
  if (Number.isSafeInteger(declared) && declared >= 0 && declared <= limit.maxBytes) {
    return new Uint8Array(await request.arrayBuffer());
  }
  if (request.body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > limit.maxBytes) {
      const total = await drain(reader, size);
      throw tooLarge(total === undefined ? `over ${MAX_DRAINED_BODY_BYTES}` : String(total), limit);
    }
    chunks.push(read.value);
  }
  return Buffer.concat(chunks);
}

/** The body as JSON: UTF-8 text (a BOM is ignored) holding one JSON value. */
export function parseJsonBody(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new BadRequestError('The request body is not valid UTF-8 text');
  }
  if (text.trim() === '') throw new BadRequestError('The request body is empty; send a JSON object');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new BadRequestError(`The request body is not valid JSON: ${(err as Error).message}`);
  }
}
