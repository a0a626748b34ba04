/**
 * The records Firehose keeps under the error prefix: one JSON document per record, several per
 * S3 object, newline-separated or not (AWS documents neither). Each carries the record's data as
 * Firehose received it (`rawData`, base64), its arrival time, and the error, under field names
 * that differ by failure and by documentation version (`errorCode` for processing failures,
 * `lastErrorCode` or `ErrorCode` for format conversion failures).
 */
export interface ErrorDocument {
  /** The record's data, base64, as the transformer receives it. */
  readonly rawData: string;
  /** When Firehose received the record (ms since epoch), when the document says. */
  readonly arrivalTimestamp?: number;
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

/** One document of an error object, or why a part of the object is not one. */
export type ErrorObjectPart = { readonly document: ErrorDocument } | { readonly problem: string };

/** The top-level JSON objects of a text, in order, and any other non-blank text between them. */
function objectTexts(text: string): { text: string; offset: number; object: boolean }[] {
  const parts: { text: string; offset: number; object: boolean }[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '{') {
      if (depth === 0) {
        if (text.slice(start, i).trim() !== '')
          parts.push({ text: text.slice(start, i), offset: start, object: false });
        start = i;
      }
      depth++;
    } else if (c === '}' && depth > 0) {
      depth--;
      if (depth === 0) {
        parts.push({ text: text.slice(start, i + 1), offset: start, object: true });
        start = i + 1;
      }
    }
  }
  if (text.slice(start).trim() !== '')
    parts.push({ text: text.slice(start), offset: start, object: depth === 0 });
  return parts;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function timestamp(value: unknown): number | undefined {
  const ms = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof ms === 'number' && Number.isSafeInteger(ms) ? ms : undefined;
}

function document(json: unknown): ErrorDocument | string {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'not a JSON object';
  const fields = json as Record<string, unknown>;
  const rawData = text(fields.rawData);
  if (rawData === undefined) return 'has no rawData (the record itself)';
  return {
    rawData,
    arrivalTimestamp: timestamp(fields.arrivalTimestamp),
    errorCode: text(fields.errorCode ?? fields.lastErrorCode ?? fields.ErrorCode),
    errorMessage: text(fields.errorMessage ?? fields.lastErrorMessage ?? fields.ErrorMessage),
  };
}

/** The documents of one error object's text, with a problem for each part that is not one. */
export function parseErrorObject(content: string): ErrorObjectPart[] {
  return objectTexts(content).map((part) => {
    const where = `at character ${part.offset}`;
    if (!part.object) return { problem: `${where}: not a JSON document` };
    let json: unknown;
    try {
      json = JSON.parse(part.text);
    } catch (err) {
      return { problem: `${where}: not JSON (${(err as Error).message})` };
    }
    const parsed = document(json);
    return typeof parsed === 'string' ? { problem: `${where}: ${parsed}` } : { document: parsed };
  });
}
