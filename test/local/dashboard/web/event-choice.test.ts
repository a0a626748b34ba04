import { chooseEvent, fieldsOf } from '../../../../local/dashboard/web/event-choice';
import type { EventType } from '../../../../local/dashboard/web/kpi-client';

const type = (name: string, metrics: string[] = [], attributes: string[] = []): EventType => ({
  name,
  metrics,
  attributes,
});

const GAME = [
  type('_session.start'),
  type('level_complete', ['score', 'time'], ['level']),
  type('tutorial_done'),
];
const ADS = [type('_session.start'), type('ad_click', ['bid']), type('ad_impression', [], ['ad_network'])];

describe('the event type and field Custom events shows', () => {
  it('is the one the view names, even when the range has none of it', () => {
    expect(chooseEvent(GAME, { event: 'ad_impression' })).toEqual({
      event: 'ad_impression',
      field: undefined,
      carried: false,
    });
    expect(
      chooseEvent(
        GAME,
        { event: 'level_complete', field: { kind: 'metric', name: 'time' } },
        {
          event: 'tutorial_done',
        },
      ),
    ).toEqual({ event: 'level_complete', field: { kind: 'metric', name: 'time' }, carried: false });
  });

  it('is by default the first custom type with a metric, and its first metric', () => {
    expect(chooseEvent(GAME, {})).toEqual({
      event: 'level_complete',
      field: { kind: 'metric', name: 'score' },
      carried: false,
    });
    expect(chooseEvent([type('_session.start'), type('signup')], {})?.event).toBe('signup');
    expect(chooseEvent([type('_session.start')], {})?.event).toBe('_session.start');
    expect(chooseEvent([], {})).toBeUndefined();
  });

  it('offers and picks by default only metrics, never a text attribute', () => {
    expect(chooseEvent(ADS, { event: 'ad_impression' })).toEqual({
      event: 'ad_impression',
      field: undefined,
      carried: false,
    });
    expect(fieldsOf(GAME[1])).toEqual([
      { kind: 'metric', name: 'score' },
      { kind: 'metric', name: 'time' },
    ]);
    expect(fieldsOf(ADS[2])).toEqual([]);
    expect(
      chooseEvent(ADS, { event: 'ad_impression', field: { kind: 'attribute', name: 'ad_network' } })?.field,
    ).toEqual({ kind: 'attribute', name: 'ad_network' });
  });

  it('after an app switch, keeps the previous app’s event type only if this app has it', () => {
    const previous = { event: 'level_complete', field: { kind: 'metric' as const, name: 'time' } };
    expect(chooseEvent(ADS, {}, previous)).toEqual({
      event: 'ad_click',
      field: { kind: 'metric', name: 'bid' },
      carried: false,
    });
    expect(chooseEvent(GAME, {}, previous)).toEqual({ ...previous, carried: true });
    expect(chooseEvent([type('level_complete', ['score'])], {}, previous)).toEqual({
      event: 'level_complete',
      field: { kind: 'metric', name: 'score' },
      carried: true,
    });
  });
});
