import { SeededRandom } from '../../lambdas/core/seeded-random';
import { DAY_MS } from '../../lambdas/core/time';
import { releasesFor } from './sample-catalogue';
import { type SessionLines, sampleSession } from './sample-session';
import { churnsBefore, newUser, type SampleUser } from './sample-user';

export interface HistoryOptions {
  readonly appId: string;
  /** Midnight UTC of the first day. */
  readonly firstDay: number;
  readonly days: number;
  /** Mean number of new users a day, before growth and weekend effects. */
  readonly arrivalsPerDay: (day: number) => number;
  readonly seed: number;
  /** Arrival times are never later than this. */
  readonly now: number;
}

/**
 * Simulates the app day by day: new users arrive (more as the app grows, more at weekends),
 * each later day a user may leave for good (churn) or else plays with their own engagement,
 * in one or more sessions; players update to new releases over a few days. Yields each day's
 * NDJSON lines for `stageSessionNdjson` and its number of events, in day order.
 */
export function* simulateHistory(options: HistoryOptions): Generator<SessionLines & { count: number }> {
  const random = new SeededRandom(options.seed);
  const releases = releasesFor(options.days);
  const latestRelease = (day: number) => releases.filter((r) => r.day <= day).length - 1;
  let users: SampleUser[] = [];
  let sessionKey = 0;
  for (let day = 0; day < options.days; day++) {
    const dayStart = options.firstDay + day * DAY_MS;
    const lines: SessionLines = { sessions: [], events: [] };
    let count = 0;
    const weekday = new Date(dayStart).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    const growth = 0.6 + (0.8 * day) / options.days;
    const arrivals = random.poisson(options.arrivalsPerDay(day) * growth * (weekend ? 1.25 : 1));
    for (let i = 0; i < arrivals; i++) users.push(newUser(random, day, latestRelease(day)));
    for (const user of users) {
      const age = day - user.firstDay;
      if (age > 0) {
        user.churned = churnsBefore(random, age);
        if (user.churned || !random.chance(user.engagement * (weekend ? 1.1 : 1))) continue;
      }
      if (user.release < latestRelease(day) && random.chance(0.35)) user.release += 1;
      const release = releases[user.release];
      if (!release) throw new RangeError(`release ${user.release} of ${releases.length}`);
      const sessions = 1 + random.poisson(0.6 * user.engagement);
      for (let s = 0; s < sessions; s++) {
        sessionKey += 1;
        const context = {
          appId: options.appId,
          user,
          release,
          dayStart,
          now: options.now,
          random,
          sessionKey,
        };
        count += sampleSession(context, lines);
      }
    }
    users = users.filter((u) => !u.churned);
    yield { ...lines, count };
  }
}
