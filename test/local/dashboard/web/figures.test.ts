import { change, FIGURES, type OverviewInputs } from '../../../../local/dashboard/web/figures';

/** Three days, worked out by hand below. */
const INPUTS: OverviewInputs = {
  dau: [10, 20, 0],
  mau: [100, 110, 120],
  newUsers: [3, 4, 0],
  sessions: [15, 25, 2],
  revenue: [5, 0, 1],
  pdau: [2, 0, 0],
  day1: [4, 6, null],
};

const figure = (id: string) => {
  const definition = FIGURES.find((f) => f.id === id);
  if (!definition) throw new Error(`no figure ${id}`);
  return definition;
};

describe('the Overview figures', () => {
  it('are the nine of the Mobile Analytics console, in its order', () => {
    expect(FIGURES.map((f) => f.id)).toEqual([
      'mau',
      'dau',
      'new-users',
      'sessions',
      'sticky',
      'day-1-retention',
      'arpdau',
      'pdau',
      'arppdau',
    ]);
  });

  it.each([
    ['mau', 120],
    ['dau', 10],
    ['new-users', 7],
    ['sessions', 14],
    ['sticky', 30 / 330],
    ['day-1-retention', 10 / 30],
    ['arpdau', 6 / 30],
    ['pdau', 2 / 3],
    ['arppdau', 3],
  ])('%s for the period', (id, expected) => {
    expect(figure(id).value(INPUTS)).toBeCloseTo(expected, 12);
  });

  it('have daily series for their sparklines, empty where a ratio has no denominator', () => {
    expect(figure('arpdau').daily(INPUTS)).toEqual([0.5, 0, null]);
    expect(figure('day-1-retention').daily(INPUTS)).toEqual([0.4, 0.3, null]);
    expect(figure('sticky').daily(INPUTS)).toEqual([0.1, 20 / 110, 0]);
  });

  it.each(FIGURES.map((f) => [f.id, f] as const))(
    '%s reads only the inputs it declares (so it shows when another KPI fails)',
    (_id, definition) => {
      const only = Object.fromEntries(
        definition.inputs.map((key) => [key, INPUTS[key]]),
      ) as unknown as OverviewInputs;
      expect(definition.value(only)).toEqual(definition.value(INPUTS));
      expect(definition.daily(only)).toEqual(definition.daily(INPUTS));
    },
  );

  it('have no value where nothing can be divided', () => {
    const quiet: OverviewInputs = { ...INPUTS, dau: [0, 0, 0], pdau: [0, 0, 0], day1: [null, null, null] };
    expect(figure('arpdau').value(quiet)).toBeNull();
    expect(figure('arppdau').value(quiet)).toBeNull();
    expect(figure('day-1-retention').value(quiet)).toBeNull();
  });

  it('change relatively, or in points for shares, and not from nothing', () => {
    expect(change(12, 10, 'relative')).toBeCloseTo(0.2, 12);
    expect(change(0.25, 0.3, 'points')).toBeCloseTo(-0.05, 12);
    expect(change(5, 0, 'relative')).toBeNull();
    expect(change(null, 3, 'relative')).toBeNull();
  });
});
