import { EVENT_VERSION, type EventRecord } from '../../lambdas/core/event-record';
import type { SeededRandom } from '../../lambdas/core/seeded-random';
import { DAY_MS, HOUR_MS } from '../../lambdas/core/time';
import { HOURLY_ACTIVITY, type SampleRelease, SDKS } from './sample-catalogue';
import { type PlayStep, play } from './sample-play';
import type { SampleUser } from './sample-user';

export interface SessionContext {
  readonly appId: string;
  readonly user: SampleUser;
  readonly release: SampleRelease;
  /** Midnight UTC starting the day of the session; the whole session falls on that day. */
  readonly dayStart: number;
  /** Arrival times are never later than this. */
  readonly now: number;
  readonly random: SeededRandom;
  /** Joins the session's shared line to its events' lines. */
  readonly sessionKey: number;
}

/** Where a session's NDJSON lines go (see `stageSessionNdjson`). */
export interface SessionLines {
  readonly sessions: string[];
  readonly events: string[];
}

const HOURS = HOURLY_ACTIVITY.map((weight, hour) => ({ weight, hour }));
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Pinpoint SDKs' session id: client id prefix, UTC date and time of the start. */
function sessionId(clientId: string, start: number): string {
  const d = new Date(start);
  const date = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}${pad(d.getUTCMilliseconds(), 3)}`;
  return `${clientId.slice(0, 8)}-${date}-${time}`;
}

/** Start time: a local hour weighted by when people play, moved so the session ends the same UTC day. */
function startOf(ctx: SessionContext, length: number): number {
  const local = ctx.random.weighted(HOURS).hour * HOUR_MS + ctx.random.int(0, HOUR_MS - 1);
  const utc = (((local - ctx.user.locale.utcOffset * HOUR_MS) % DAY_MS) + DAY_MS) % DAY_MS;
  return ctx.dayStart + Math.min(utc, DAY_MS - length - 1000);
}

type Shared = Pick<EventRecord, 'event_version' | 'application' | 'client' | 'device' | 'endpoint'>;

/** The parts every event of a session shares: application, client, device, endpoint. */
function shared(ctx: SessionContext): Shared {
  const { user, release } = ctx;
  const [language, country] = user.locale.code.split('_');
  return {
    event_version: EVENT_VERSION,
    application: {
      app_id: ctx.appId,
      package_name: `com.example.${ctx.appId.toLowerCase().replace(/[^a-z0-9]/g, '')}`,
      title: 'Demo Quest',
      version_name: release.name,
      version_code: release.code,
      sdk: SDKS[user.device.platform],
    },
    client: { client_id: user.clientId, cognito_id: user.cognitoId },
    device: {
      locale: { code: user.locale.code, country, language },
      make: user.device.make,
      model: user.device.model,
      platform: { name: user.device.platform, version: user.platformVersion },
    },
    endpoint: JSON.stringify({
      ChannelType: user.device.platform === 'iOS' ? 'APNS' : 'GCM',
      Demographic: {
        AppVersion: release.name,
        Locale: user.locale.code,
        Make: user.device.make,
        Model: user.device.model,
        Platform: user.device.platform,
        PlatformVersion: user.platformVersion,
      },
      OptOut: 'NONE',
    }),
  };
}

/**
 * One session of a user (`_session.start`, play, purchases, `_session.stop`) as §1 records,
 * written as NDJSON lines for `stageSessionNdjson`: the parts all its events share once, in
 * `sessions`, and each event's own columns in `events`. Returns how many events it made.
 */
export function sampleSession(ctx: SessionContext, out: SessionLines): number {
  const { random, user } = ctx;
  const steps = play(random, user);
  const length = (steps[steps.length - 1]?.[0] ?? 0) + random.int(3_000, 60_000);
  const start = startOf(ctx, length);
  const session = { session_id: sessionId(user.clientId, start), start_timestamp: start };
  const dt = new Date(ctx.dayStart).toISOString().slice(0, 10);
  out.sessions.push(JSON.stringify({ session_key: ctx.sessionKey, ...shared(ctx), app_id: ctx.appId, dt }));
  const sent = Math.min(
    ctx.now,
    start + length + random.int(2_000, random.chance(0.03) ? 7_200_000 : 60_000),
  );
  const open = JSON.stringify(session);
  const closed = JSON.stringify({ ...session, stop_timestamp: start + length });
  const events: PlayStep[] = [
    [0, '_session.start', {}, {}],
    ...steps,
    [length, '_session.stop', { '_session.duration': String(length) }, {}],
  ];
  const resent = random.chance(0.003);
  for (const [i, [offset, type, attributes, metrics]] of events.entries()) {
    // Hand-assembled for speed: the §1 column names, and values that are numbers or JSON.stringify'd.
    const head = `{"session_key":${ctx.sessionKey},"event_id":"${random.uuid()}","event_type":${JSON.stringify(type)},"event_timestamp":${start + offset},"arrival_timestamp":`;
    const tail = `,"session":${i === events.length - 1 ? closed : open},"attributes":${JSON.stringify(attributes)},"metrics":${JSON.stringify(metrics)}}`;
    out.events.push(`${head}${sent}${tail}`);
    if (resent) out.events.push(`${head}${Math.min(ctx.now, sent + 90_000)}${tail}`);
  }
  user.sessions += 1;
  return resent ? events.length * 2 : events.length;
}
