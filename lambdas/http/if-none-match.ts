/** One entity tag of a header's list: an optional weak prefix and a quoted opaque value. */
const ENTITY_TAG = /(?:W\/)?"[^"]*"/g;

/**
 * Whether an `If-None-Match` header names the current entity tag, as RFC 9110 §13.1.2 reads it:
 * `*`, or a comma-separated list of tags one of which matches by weak comparison (the `W/`
 * prefix ignored on both sides), so that a client or proxy that lists several tags, or weakened
 * ours, still gets its 304.
 */
export function ifNoneMatchNames(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const current = opaque(etag);
  return (header.match(ENTITY_TAG) ?? []).some((tag) => opaque(tag) === current);
}

function opaque(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}
