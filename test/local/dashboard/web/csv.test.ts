import { csvFilename, toCsv } from '../../../../local/dashboard/web/csv';

describe('CSV of a series', () => {
  it('writes a header and a row per day, nulls as empty cells, CRLF line ends', () => {
    expect(
      toCsv(
        ['date', 'dau'],
        [
          ['2026-01-01', 3],
          ['2026-01-02', null],
        ],
      ),
    ).toBe('date,dau\r\n2026-01-01,3\r\n2026-01-02,\r\n');
  });

  it('quotes cells with commas, quotes or line breaks (RFC 4180)', () => {
    expect(toCsv(['name'], [['a,b'], ['say "hi"'], ['two\nlines']])).toBe(
      'name\r\n"a,b"\r\n"say ""hi"""\r\n"two\nlines"\r\n',
    );
  });

  it('names files from safe characters only', () => {
    expect(csvFilename('my app', 'level up/score', '2026-01-01')).toBe(
      'my-app_level-up-score_2026-01-01.csv',
    );
  });
});
