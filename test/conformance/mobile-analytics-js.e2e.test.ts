import type { AWSError } from 'aws-sdk';
import { Manager, type ManagerOptions } from 'aws-sdk-mobile-analytics';
import { ConformanceServer, expectedSummary } from './support/conformance-server';
import { withFrozenClock } from './support/frozen-clock';
import { sendApiKeyWithV2Requests } from './support/v2-api-key';

/**
 * `aws-sdk-mobile-analytics` 0.9.2 (the Mobile Analytics JS SDK), unmodified, against the local
 * server, with an in-memory `localStorage` as a browser gives it and the configuration the README
 * gives (`clientOptions.endpoint`, an API key added to its aws-sdk v2 requests): a batch whose answer was lost
 * is kept and sent again after the app restarts (as a new version), and is counted once; a batch
 * the door rejects is a typed BadRequestException, which the SDK drops instead of re-sending it
 * forever.
 */

const APP = 'conformance-ama';
const EVENTS = '/2014-06-05/events';

/** What the test sends, from which the expected KPIs are computed. */
const PURCHASES = [
  { currency: 'USD', productId: 'gems_100', quantity: 1, price: 1.99 },
  { currency: 'USD', productId: 'gems_500', quantity: 1, price: 4.99 },
];

class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, String(value));
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

interface Submitted {
  readonly err: AWSError | null;
  readonly batchId: string;
}

/** An app using the SDK: its Manager, and `submit()`, which waits for the answer to every batch it sends. */
class App {
  readonly results: Submitted[] = [];
  private readonly manager: Manager;
  private waiting: (() => void) | undefined;
  private pending = 0;

  constructor(lab: ConformanceServer, version: string) {
    const options: ManagerOptions = {
      appId: APP,
      platform: 'Android',
      clientId: 'ama-client-1',
      appTitle: 'Conformance',
      appVersionName: version,
      appPackageName: 'com.example.conformance',
      make: 'Google',
      model: 'Pixel 7',
      platformVersion: '14',
      locale: 'en_US',
      autoSubmitEvents: false,
      submitCallback: (err, _data, batchId) => {
        this.results.push({ err, batchId });
        this.pending -= 1;
        if (this.pending === 0) this.waiting?.();
      },
      clientOptions: {
        endpoint: lab.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'local' },
        maxRetries: 0, // the SDK keeps or drops batches itself; no back-off waits in the test
      },
    };
    this.manager = new Manager(options);
  }

  get sdk(): Manager {
    return this.manager;
  }

  /** Sends what is recorded and pending; resolves with the answers to this submission. */
  async submit(): Promise<Submitted[]> {
    // The SDK refuses to submit within 1 s of its last submission; an app waits, the test forgets the time.
    this.manager.outputs.lastSubmitTimestamp = undefined;
    const before = this.results.length;
    const done = new Promise<void>((resolve) => {
      this.waiting = resolve;
    });
    this.pending = this.manager.submitEvents().length;
    if (this.pending > 0) await done;
    return this.results.slice(before);
  }

  /** Stops the SDK's timers (auto-submit and session expiry), as closing the app does. */
  close(): void {
    clearTimeout(this.manager.outputs.timeoutReference);
    clearTimeout(this.manager.outputs.session?.sessionTimeoutReference);
  }
}

const API_KEY = 'conformance-api-key';
const global_ = globalThis as { window?: unknown } & Record<string, unknown>;
let lab: ConformanceServer;
let stopApiKey: () => void;

beforeAll(async () => {
  lab = await ConformanceServer.start('ama');
  global_.window = { localStorage: new MemoryStorage() };
  stopApiKey = sendApiKeyWithV2Requests(API_KEY);
});

afterAll(async () => {
  stopApiKey();
  delete global_.window;
  await lab.close();
});

const eventTypes = (body: string) =>
  (JSON.parse(body) as { events: { eventType: string }[] }).events.map((e) => e.eventType);

describe('aws-sdk-mobile-analytics against the local server', () => {
  it('keeps a batch whose answer was lost and sends it again after the app restarts as a new version', async () => {
    const first = new App(lab, '1.0');
    first.sdk.recordEvent('level_complete', { level: '3', hard: true }, { score: 120, time: 3.5 });
    // Two purchases in the same millisecond, as a fast tap or a restored purchase list gives them.
    await withFrozenClock(() => {
      for (const purchase of PURCHASES) first.sdk.recordMonetizationEvent(purchase);
    });
    lab.proxy.dropNextAnswer((method, path) => method === 'POST' && path === EVENTS);
    const [lost] = await first.submit();
    expect(lost?.err?.statusCode).toBeUndefined(); // a network error: the SDK keeps the batch
    first.close();

    // The app restarts as version 1.1: a new process with the same localStorage.
    delete global_[`AWSMobileAnalyticsStorage-${APP}`];
    const second = new App(lab, '1.1');
    const [sent] = await second.submit();
    expect(sent?.err).toBeNull();
    second.close();

    const batches = lab.proxy.sent('POST', /^\/2014-06-05\/events$/);
    expect(batches.map((e) => [e.dropped, e.status])).toEqual([
      [true, 202],
      [false, 202],
    ]);
    expect(batches[1]?.requestBody).toBe(batches[0]?.requestBody);
    expect(batches[0]?.requestHeaders['x-amz-client-context']).toContain('"app_version_name":"1.0"');
    expect(batches[1]?.requestHeaders['x-amz-client-context']).toContain('"app_version_name":"1.1"');
    expect(eventTypes(batches[0]?.requestBody ?? '')).toEqual([
      '_session.start',
      'level_complete',
      '_monetization.purchase',
      '_monetization.purchase',
    ]);
    const purchases = (
      JSON.parse(batches[0]?.requestBody ?? '') as { events: { timestamp: string }[] }
    ).events.slice(2);
    expect(purchases[0]?.timestamp).toBe(purchases[1]?.timestamp);
  });

  it('drops a batch rejected with BadRequestException instead of sending it again', async () => {
    const app = new App(lab, '1.1');
    app.sdk.recordEvent('broken', {}, { score: Number.NaN }); // NaN is a number to the SDK, null in JSON
    const [rejected] = await app.submit();
    expect(rejected?.err).toMatchObject({ code: 'BadRequestException', statusCode: 400 });
    expect(rejected?.err?.message).toContain('events[0]: metrics["score"] must be a finite number, got null');
    app.sdk.recordEvent('after');
    app.sdk.stopSession();
    const [accepted] = await app.submit();
    expect(accepted?.err).toBeNull();
    app.close();
    const bodies = lab.proxy.sent('POST', /^\/2014-06-05\/events$/).slice(2);
    expect(
      bodies.map((e) => [e.status, e.responseHeaders['x-amzn-errortype'], eventTypes(e.requestBody)]),
    ).toEqual([
      [400, 'BadRequestException', ['broken']],
      [202, undefined, ['after', '_session.stop']],
    ]);
  });

  it('sent the API key with every request', () => {
    expect(lab.apiKeysSent).toEqual(new Set([API_KEY]));
  });

  it('counts exactly what was sent: the re-sent batch once, both purchases of the same millisecond', async () => {
    expect(await lab.summary(APP)).toEqual(
      expectedSummary(PURCHASES, { sessions: 1, lifetimeUsers: 1, levelCompletes: 1, scoreSum: 120 }),
    );
    expect(await lab.total(APP, '/events/broken/count')).toBe(0);
    expect(await lab.total(APP, '/events/after/count')).toBe(1);
  });
});
