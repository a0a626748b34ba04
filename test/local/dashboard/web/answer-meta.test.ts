import { describeAnswers, describeSource, describeView } from '../../../../local/dashboard/web/answer-meta';

describe('what answers tell about themselves', () => {
  it('says nothing when an answer carries only the contract’s keys', () => {
    expect(describeAnswers([{}], 'UTC')).toEqual({ text: '', title: '' });
    expect(describeView([{}, {}], 'UTC')).toBe('2 queries');
  });

  it('sums bytes scanned and engine time, and tells the latest freshness in the view’s zone', () => {
    const { text } = describeAnswers(
      [
        { bytesScanned: 1_500_000, engineMs: 120, freshness: '2026-03-01T10:00:00Z' },
        { bytesScanned: 500_000, engineMs: 80, freshness: '2026-03-01T11:30:00Z' },
      ],
      'UTC',
    );
    expect(text).toMatch(/^scanned 2\.0 MB · 200 ms · data up to .*11:30/);
  });

  it('tells no freshness for answers that include no event (freshness null), and the latest of the others', () => {
    expect(describeAnswers([{ bytesScanned: 0, freshness: null }], 'UTC').text).toBe('scanned 0 B');
    expect(describeView([{ freshness: null }, { freshness: null }], 'UTC')).toBe('2 queries');
    expect(describeView([{ freshness: null }, { freshness: '2026-03-01T11:30:00Z' }], 'UTC')).toMatch(
      /^2 queries · data up to .*2026.*11:30/,
    );
  });

  it('summarises a source and keeps its JSON for the tooltip', () => {
    const source = { rollup: ['2026-03-01', '2026-03-02'], raw: ['2026-03-03'] };
    expect(describeSource(source)).toBe('rollup 2 d, raw 1 d');
    expect(describeSource('raw')).toBe('raw');
    expect(describeAnswers([{ source }], 'UTC')).toEqual({
      text: 'source: rollup 2 d, raw 1 d',
      title: JSON.stringify(source),
    });
  });
});
