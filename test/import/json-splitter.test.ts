import { type JsonPiece, JsonSplitter, MAX_JSON_VALUE_BYTES } from '../../lambdas/import/json-splitter';

/** Splits the text fed in chunks of every size from 1 to 9 bytes; all must agree. */
function split(text: string | Uint8Array): JsonPiece[] {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const results = [1, 2, 3, 5, 9, bytes.length || 1].map((size) => {
    const splitter = new JsonSplitter();
    const pieces: JsonPiece[] = [];
    for (let i = 0; i < bytes.length; i += size) pieces.push(...splitter.push(bytes.subarray(i, i + size)));
    pieces.push(...splitter.end());
    return pieces;
  });
  for (const other of results.slice(1)) expect(other).toEqual(results[0]);
  return results[0] ?? [];
}

const texts = (pieces: readonly JsonPiece[]) => pieces.map((p) => p.text ?? `ERROR: ${p.error}`);

describe('splitting concatenated JSON records', () => {
  it('splits records written without any delimiter, as Firehose does by default', () => {
    expect(texts(split('{"a":1}{"b":{"c":[1,2]}}{"d":"}{"}'))).toEqual([
      '{"a":1}',
      '{"b":{"c":[1,2]}}',
      '{"d":"}{"}',
    ]);
  });

  it('splits JSON lines, blank lines and CRLF included, and skips a byte order mark', () => {
    const pieces = split('\ufeff{"a":1}\r\n\n{"b":2}\n  {"c":3}\n');
    expect(texts(pieces)).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
    expect(pieces.map((p) => [p.index, p.offset])).toEqual([
      [1, 3],
      [2, 13],
      [3, 23],
    ]);
  });

  it('keeps escaped quotes and brackets inside strings', () => {
    const record = '{"q":"a \\"quoted\\" } { [ word","e":"\\\\"}';
    expect(texts(split(`${record}${record}`))).toEqual([record, record]);
  });

  it('keeps multi-byte characters cut across chunks', () => {
    expect(texts(split('{"city":"Zürich","yen":"¥128"}{"emoji":"😀"}'))).toEqual([
      '{"city":"Zürich","yen":"¥128"}',
      '{"emoji":"😀"}',
    ]);
  });

  it('reports a truncated last record and keeps the records before it', () => {
    const pieces = split('{"a":1}{"b":2}{"c":{"d":');
    expect(texts(pieces)).toEqual([
      '{"a":1}',
      '{"b":2}',
      'ERROR: the data ends inside this record (the file is truncated)',
    ]);
    expect(pieces[2]).toMatchObject({ index: 3, offset: 14 });
  });

  it('reports a line cut inside a string and reads the next lines', () => {
    expect(texts(split('{"a":"cut\n{"b":2}\n'))).toEqual([
      'ERROR: a line break inside a string: the record is cut short or malformed',
      '{"b":2}',
    ]);
  });

  it('reports a line cut outside a string and still reads the lines after it', () => {
    expect(texts(split('{"a":{"b":1\n{"c":2}\n{"d":3}\n'))).toEqual([
      'ERROR: a record cut short (the next line starts a new record)',
      '{"c":2}',
      '{"d":3}',
    ]);
  });

  it('reports bytes that are not a record, and goes on', () => {
    const pieces = split('garbage here\n{"a":1} 42 {"b":2}');
    expect(texts(pieces)).toEqual([
      'ERROR: 12 bytes that are not a JSON record, starting "garbage here"',
      '{"a":1}',
      'ERROR: 3 bytes that are not a JSON record, starting "42"',
      '{"b":2}',
    ]);
  });

  it('reports bytes that are not UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}{"b":1}')]);
    expect(texts(split(bytes))).toEqual(['ERROR: the record is not UTF-8 text', '{"b":1}']);
  });

  it('gives up on a record larger than the limit and resumes at the next line that starts a record', () => {
    const splitter = new JsonSplitter();
    const big = Buffer.alloc(MAX_JSON_VALUE_BYTES + 10, 0x31);
    const pieces = [
      ...splitter.push(Buffer.from('{"a":[')),
      ...splitter.push(big),
      ...splitter.push(Buffer.from('\n{"b":2}\n')),
      ...splitter.end(),
    ];
    expect(texts(pieces)).toEqual([
      `ERROR: a record over ${MAX_JSON_VALUE_BYTES} bytes, or one whose brackets never close`,
      '{"b":2}',
    ]);
  });

  it('gives nothing for an empty or blank stream', () => {
    expect(split('')).toEqual([]);
    expect(split(' \n\t\n')).toEqual([]);
  });
});
