import { startTempServer, type TempServer } from '../support/temp-server';

const NOW = Date.parse('2026-03-26T02:00:00Z');
const APP = 'names';
const DAY = '2026-03-25';
/** Names the doors store: an event type over 50 characters with a line break, keys with a tab and emoji. */
const EVENT_TYPE = `${'x'.repeat(51)}\nsecond line\u0000after a NUL`;
const ATTRIBUTE = 'tab\tkey';
const METRIC = '🎮'.repeat(50);

let temp: TempServer;

beforeAll(async () => {
  temp = await startTempServer('event-names', { now: () => NOW });
});

afterAll(() => temp.close());

async function get(path: string): Promise<unknown> {
  const answer = await fetch(`${temp.server.url}${path}`);
  expect({ path, status: answer.status }).toEqual({ path, status: 200 });
  return answer.json();
}

describe('an event whose names break no door rule', () => {
  it('is stored, listed and asked for by those names', async () => {
    const put = await fetch(`${temp.server.url}/v1/apps/${APP}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        BatchItem: {
          device: {
            Events: {
              e1: {
                EventType: EVENT_TYPE,
                Timestamp: `${DAY}T10:00:00Z`,
                Attributes: { [ATTRIBUTE]: '7' },
                Metrics: { [METRIC]: 3 },
              },
            },
          },
        },
      }),
    });
    expect(put.status).toBe(202);
    const range = `?startDate=${DAY}&endDate=${DAY}`;
    const catalogue = JSON.stringify(await get(`/apps/${APP}/events${range}`));
    expect(catalogue).toContain(JSON.stringify(EVENT_TYPE));
    const event = `/apps/${APP}/events/${encodeURIComponent(EVENT_TYPE)}`;
    expect(await get(`${event}/count${range}`)).toMatchObject({ values: [{ date: DAY, value: 1 }] });
    expect(await get(`${event}/attributes/${encodeURIComponent(ATTRIBUTE)}/avg${range}`)).toMatchObject({
      values: [{ date: DAY, value: 7 }],
    });
    expect(await get(`${event}/metrics/${encodeURIComponent(METRIC)}/sum${range}`)).toMatchObject({
      values: [{ date: DAY, value: 3 }],
    });
  });
});
