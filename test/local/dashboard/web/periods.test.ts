import {
  currentPeriod,
  customRangeProblem,
  daysOf,
  previousPeriod,
} from '../../../../local/dashboard/web/periods';
import type { ViewState } from '../../../../local/dashboard/web/view-state';

const state = (change: Partial<ViewState>): ViewState => ({
  tab: 'overview',
  range: '30',
  timezone: 'UTC',
  compare: false,
  ...change,
});

/** 2026-03-26 02:00 UTC: still 2026-03-25 in Los Angeles, already the 26th in Kolkata. */
const NOW = Date.parse('2026-03-26T02:00:00Z');

describe('the days a view shows', () => {
  it('ends the presets yesterday in the chosen zone', () => {
    expect(currentPeriod(state({ range: '7' }), NOW)).toEqual({ start: '2026-03-19', end: '2026-03-25' });
    expect(currentPeriod(state({ range: '7', timezone: 'America/Los_Angeles' }), NOW)).toEqual({
      start: '2026-03-18',
      end: '2026-03-24',
    });
    expect(currentPeriod(state({ range: '90', timezone: 'Asia/Kolkata' }), NOW)).toEqual({
      start: '2025-12-26',
      end: '2026-03-25',
    });
  });

  it('takes a custom range as given, today included', () => {
    expect(currentPeriod(state({ range: 'custom', start: '2026-03-01', end: '2026-03-26' }), NOW)).toEqual({
      start: '2026-03-01',
      end: '2026-03-26',
    });
  });

  it('compares with as many days just before', () => {
    expect(previousPeriod({ start: '2026-03-01', end: '2026-03-31' })).toEqual({
      start: '2026-01-29',
      end: '2026-02-28',
    });
    expect(daysOf({ start: '2026-02-27', end: '2026-03-02' })).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
    expect(daysOf({ start: '2026-03-02', end: '2026-03-01' })).toEqual([]);
  });
});

describe('a custom range the page refuses', () => {
  it('accepts a range up to today in the chosen zone, a single day included', () => {
    expect(
      customRangeProblem({ start: '2026-03-01', end: '2026-03-26' }, 'Asia/Kolkata', NOW),
    ).toBeUndefined();
    expect(
      customRangeProblem({ start: '2026-03-25', end: '2026-03-25' }, 'America/Los_Angeles', NOW),
    ).toBeUndefined();
  });

  it('refuses a first day after the last day', () => {
    expect(customRangeProblem({ start: '2026-03-20', end: '2026-03-10' }, 'UTC', NOW)).toBe(
      'The first day (2026-03-20) is after the last day (2026-03-10)',
    );
  });

  it('refuses a last day after today in the chosen zone', () => {
    expect(customRangeProblem({ start: '2026-03-01', end: '2026-03-26' }, 'America/Los_Angeles', NOW)).toBe(
      'The last day (2026-03-26) is after today (2026-03-25 in America/Los_Angeles); days to come have no data yet',
    );
  });

  it('asks for both days when one is missing', () => {
    expect(customRangeProblem({ start: '', end: '2026-03-10' }, 'UTC', NOW)).toBe(
      'Choose a first and a last day',
    );
  });
});
