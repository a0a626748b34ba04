import type { LakeStep, LakeWork } from '../../../local/lake/lake-maintenance';
import { startTempServer, type TempServer } from '../support/temp-server';

const NOW = Date.parse('2026-03-26T02:00:00Z');
const APP = 'backlog';

let temp: TempServer;
/** Conversions stop at their staging step until this opens. */
let openConversions: () => void = () => undefined;
let conversionStaged: Promise<void>;
/** Resolves once a conversion is done (its segments left the backlog). */
let conversionDone: Promise<void>;

beforeAll(async () => {
  const held = new Promise<void>((resolve) => {
    openConversions = resolve;
  });
  let staged: () => void = () => undefined;
  conversionStaged = new Promise<void>((resolve) => {
    staged = resolve;
  });
  let done: () => void = () => undefined;
  conversionDone = new Promise<void>((resolve) => {
    done = resolve;
  });
  temp = await startTempServer('log-backlog', {
    now: () => NOW,
    // Any committed event is a full backlog; a request waits 50 ms for it.
    lake: {
      maxBacklogBytes: 1,
      backlogWaitMs: 50,
      convertAfterMs: 60_000,
      onStep: async (step: LakeStep, work: LakeWork) => {
        if (work !== 'conversion') return;
        if (step === 'done') done();
        if (step !== 'staged') return;
        staged();
        await held;
      },
    },
  });
});

afterAll(async () => {
  openConversions();
  await temp.close();
});

const putEvent = (eventId: string) =>
  fetch(`${temp.server.url}/v1/apps/${APP}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      BatchItem: {
        [`device-${eventId}`]: {
          Events: { [eventId]: { EventType: 'backlog', Timestamp: '2026-03-25T10:00:00Z' } },
        },
      },
    }),
  });

const counted = async () => {
  const answer = await fetch(
    `${temp.server.url}/apps/${APP}/events/backlog/count?startDate=2026-03-25&endDate=2026-03-25`,
  );
  return ((await answer.json()) as { values: { value: number }[] }).values[0]?.value;
};

describe("a request while the local lake's log is too far ahead of its conversion", () => {
  it('waits, then is answered 429 TooManyRequestsException with Retry-After, nothing of it stored', async () => {
    expect((await putEvent('e1')).status).toBe(202);
    const refused = await putEvent('e2');
    await conversionStaged;
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(((await refused.json()) as { message: string }).message).toMatch(
      /^The local lake is [\d.]+ MiB behind converting its log to Parquet; the events were not stored: retry the request$/,
    );
    expect(await counted()).toBe(1);
  });

  it('is taken again once the conversion caught up', async () => {
    openConversions();
    await conversionDone;
    expect((await putEvent('e3')).status).toBe(202);
    expect(await counted()).toBe(2);
  });
});
