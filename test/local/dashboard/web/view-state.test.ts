import { readState, writeState } from '../../../../local/dashboard/web/view-state';

describe('the view state in the URL', () => {
  it('reads every part of a shared view', () => {
    const state = readState(
      '?app=demo&tab=custom-events&range=custom&start=2026-01-01&end=2026-01-31&tz=Asia%2FKolkata&compare=1&event=level_up&field=metric%3Ascore%3Abest',
      'Europe/Paris',
    );
    expect(state).toEqual({
      app: 'demo',
      tab: 'custom-events',
      range: 'custom',
      start: '2026-01-01',
      end: '2026-01-31',
      timezone: 'Asia/Kolkata',
      compare: true,
      event: 'level_up',
      field: { kind: 'metric', name: 'score:best' },
    });
    expect(readState(`?${writeState(state)}`, 'UTC')).toEqual(state);
  });

  it('takes the defaults for what is missing: Overview, last 30 days, the browser’s zone, no comparison', () => {
    expect(readState('', 'America/New_York')).toEqual({
      tab: 'overview',
      range: '30',
      timezone: 'America/New_York',
      compare: false,
      app: undefined,
      event: undefined,
      field: undefined,
    });
  });

  it('falls back to the defaults for a malformed tab, range, custom day or field', () => {
    const state = readState('?tab=admin&range=365&field=column:x', 'UTC');
    expect(state).toMatchObject({ tab: 'overview', range: '30', field: undefined });
    expect(readState('?range=custom&start=2026-02-30&end=2026-03-01', 'UTC').range).toBe('30');
  });

  it('writes the custom days only for a custom range, and the event only on Custom events', () => {
    const query = writeState({
      tab: 'overview',
      app: 'demo',
      range: '7',
      start: '2026-01-01',
      end: '2026-01-02',
      timezone: 'UTC',
      compare: false,
      event: 'level_up',
    });
    expect(query).toBe('app=demo&tab=overview&range=7&tz=UTC');
  });
});
