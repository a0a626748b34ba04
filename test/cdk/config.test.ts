import { App, Duration, Size } from 'aws-cdk-lib';
import cdkJson from '../../cdk.json';
import { CONTEXT_DEFAULTS, readConfig } from '../../lib/config';

const configWith = (context: Record<string, unknown>) => readConfig(new App({ context }).node);

describe('configuration', () => {
  it('declares in cdk.json exactly the defaults the code applies', () => {
    const declared = Object.fromEntries(
      Object.keys(CONTEXT_DEFAULTS).map((k) => [k, (cdkJson.context as Record<string, unknown>)[k]]),
    );
    expect(declared).toEqual(CONTEXT_DEFAULTS);
  });

  it('applies the documented defaults when no context is given', () => {
    const config = configWith({});
    expect(config.prefix).toBe('mobile-kpi');
    expect(config.bufferInterval.toSeconds()).toBe(300);
    expect(config.bufferSize.toMebibytes()).toBe(64);
    expect(config.athenaScanCutoffBytes).toBe(10 * 1024 * 1024 * 1024);
    expect(config.rawEventRetention).toBeUndefined();
    expect(config.errorRecordRetention.toDays()).toBe(365);
    expect(config.lakeStartDate).toBe('2014-01-01');
    expect(config.pinpointAppId).toBeUndefined();
    expect(config.createPinpointApp).toBe(false);
    expect(config.ingestAuth).toBe('iam');
    expect(config.ingestAllowedApps).toBeUndefined();
    expect(config.ingestIpRateLimit).toBe(6000);
    expect(config.logRetention).toBe(30);
    expect(config.tracing).toBe(false);
    expect(config.alarmEmail).toBeUndefined();
    expect(config.rollupSchedule.toMinutes()).toBe(60);
  });

  it('parses numbers and booleans given as strings with -c', () => {
    const config = configWith({
      firehoseBufferSeconds: '120',
      firehoseBufferMiB: '128',
      athenaScanCutoffGiB: '0.5',
      rawEventRetentionDays: '365',
      createPinpointApp: 'true',
      ingestAuth: 'none',
      ingestAllowedApps: 'game,game-beta',
      ingestIpRateLimit: '300',
      ingestRateLimit: '50',
      logRetentionDays: '90',
      tracing: 'true',
      alarmEmail: 'ops@example.com',
      rollupScheduleMinutes: '15',
    });
    expect(config.rollupSchedule).toEqual(Duration.minutes(15));
    expect(config.bufferInterval).toEqual(Duration.seconds(120));
    expect(config.bufferSize).toEqual(Size.mebibytes(128));
    expect(config.athenaScanCutoffBytes).toBe(512 * 1024 * 1024);
    expect(config.rawEventRetention?.toDays()).toBe(365);
    expect(config.createPinpointApp).toBe(true);
    expect(config.ingestAuth).toBe('none');
    expect(config.ingestAllowedApps).toEqual(new Set(['game', 'game-beta']));
    expect(config.ingestIpRateLimit).toBe(300);
    expect(config.alarmEmail).toBe('ops@example.com');
    expect(config.ingestRateLimit).toBe(50);
    expect(config.logRetention).toBe(90);
    expect(config.tracing).toBe(true);
  });

  it('treats an empty pinpointAppId or retention as unset', () => {
    const config = configWith({ pinpointAppId: '', rawEventRetentionDays: '' });
    expect(config.pinpointAppId).toBeUndefined();
    expect(config.rawEventRetention).toBeUndefined();
  });

  it.each([
    [
      { prefix: 'Mobile_KPI' },
      'Invalid context prefix: got "Mobile_KPI"; allowed: 3 to 32 lower-case letters, digits or single hyphens, starting with a letter and not ending with a hyphen.',
    ],
    [
      { prefix: 'kpi-' },
      'Invalid context prefix: got "kpi-"; allowed: 3 to 32 lower-case letters, digits or single hyphens, starting with a letter and not ending with a hyphen.',
    ],
    [
      { firehoseBufferSeconds: '30' },
      'Invalid context firehoseBufferSeconds: got "30"; allowed: an integer from 60 to 900 (seconds).',
    ],
    [
      { firehoseBufferSeconds: 60.5 },
      'Invalid context firehoseBufferSeconds: got 60.5; allowed: an integer from 60 to 900 (seconds).',
    ],
    [
      { firehoseBufferMiB: 256 },
      'Invalid context firehoseBufferMiB: got 256; allowed: an integer from 64 to 128 (MiB).',
    ],
    [
      { athenaScanCutoffGiB: '0.001' },
      'Invalid context athenaScanCutoffGiB: got "0.001"; allowed: a number of GiB, at least 0.01.',
    ],
    [
      { athenaScanCutoffGiB: 'ten' },
      'Invalid context athenaScanCutoffGiB: got "ten"; allowed: a number of GiB, at least 0.01.',
    ],
    [
      { rawEventRetentionDays: '0' },
      'Invalid context rawEventRetentionDays: got "0"; allowed: an integer from 1 to 36500 (days, or unset).',
    ],
    [
      { errorRecordRetentionDays: -1 },
      'Invalid context errorRecordRetentionDays: got -1; allowed: an integer from 1 to 36500 (days).',
    ],
    [
      { lakeStartDate: '2014-02-30' },
      'Invalid context lakeStartDate: got "2014-02-30"; allowed: a calendar day as YYYY-MM-DD.',
    ],
    [
      { pinpointAppId: 'my-app' },
      'Invalid context pinpointAppId: got "my-app"; allowed: a Pinpoint project id (32 lower-case hexadecimal characters), or unset.',
    ],
    [{ createPinpointApp: 'yes' }, 'Invalid context createPinpointApp: got "yes"; allowed: true or false.'],
    [
      { ingestAuth: 'cognito' },
      'Invalid context ingestAuth: got "cognito"; allowed: one of iam, apiKey, none.',
    ],
    [
      { ingestBurstLimit: '0' },
      'Invalid context ingestBurstLimit: got "0"; allowed: an integer from 1 to 5000 (requests).',
    ],
    [
      { logRetentionDays: 10 },
      'Invalid context logRetentionDays: got 10; allowed: one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653.',
    ],
    [{ tracing: 1 }, 'Invalid context tracing: got 1; allowed: true or false.'],
    [
      { ingestAllowedApps: 'game;other' },
      'Invalid context ingestAllowedApps: got "game;other"; allowed: app ids separated by commas, without spaces (an app id is 1 to 128 characters: letters, digits, "_", "." or "-", starting with a letter or digit), or unset.',
    ],
    [
      { ingestAllowedApps: Array.from({ length: 200 }, (_, i) => `app-number-${i}`).join(',') },
      'Invalid context ingestAllowedApps: got 2889 characters; allowed: at most 2048 (it is a Lambda environment variable, 4 KB in all).',
    ],
    [
      { ingestAuth: 'none' },
      'Invalid context: got ingestAuth "none" without ingestAllowedApps; allowed: with ingestAuth none, ingestAllowedApps lists the app ids the public doors accept, e.g. -c ingestAllowedApps=game,game-beta.',
    ],
    [
      { ingestIpRateLimit: '5' },
      'Invalid context ingestIpRateLimit: got "5"; allowed: an integer from 10 to 2000000000 (requests per IP address per 5 minutes).',
    ],
    [
      { rollupScheduleMinutes: '2' },
      'Invalid context rollupScheduleMinutes: got "2"; allowed: an integer from 5 to 1440 (minutes).',
    ],
    [
      { alarmEmail: 'ops at example.com' },
      'Invalid context alarmEmail: got "ops at example.com"; allowed: an e-mail address, or unset.',
    ],
  ])('rejects %j saying what was given and what is allowed', (context, message) => {
    expect(() => configWith(context)).toThrow(message);
  });

  it('rejects attaching to an existing Pinpoint project and creating one at once', () => {
    expect(() =>
      configWith({ pinpointAppId: '0123456789abcdef0123456789abcdef', createPinpointApp: true }),
    ).toThrow(
      'Invalid context: got pinpointAppId "0123456789abcdef0123456789abcdef" and createPinpointApp true; allowed: at most one of them (pinpointAppId streams an existing project, createPinpointApp creates one).',
    );
  });
});
