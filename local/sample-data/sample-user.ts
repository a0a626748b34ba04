import type { SeededRandom } from '../../lambdas/core/seeded-random';
import { DEVICES, LOCALES, type SampleDevice, type SampleLocale } from './sample-catalogue';

/** One simulated player of the sample app, and what changes about them as days pass. */
export interface SampleUser {
  readonly clientId: string;
  readonly cognitoId: string;
  readonly device: SampleDevice;
  readonly platformVersion: string;
  readonly locale: SampleLocale;
  readonly firstDay: number;
  /** Chance of playing on a given day while not churned. */
  readonly engagement: number;
  /** Spends money now and then (a few percent of players do). */
  readonly payer: boolean;
  release: number;
  level: number;
  sessions: number;
  churned: boolean;
}

export function newUser(random: SeededRandom, firstDay: number, release: number): SampleUser {
  const device = random.weighted(DEVICES);
  return {
    clientId: random.uuid(),
    cognitoId: `us-east-1:${random.uuid()}`,
    device,
    platformVersion: random.pick(device.versions),
    locale: random.weighted(LOCALES),
    firstDay,
    engagement: 0.3 + 0.65 * random.next() ** 0.7,
    payer: random.chance(0.06),
    release,
    level: 1,
    sessions: 0,
    churned: false,
  };
}

/**
 * Whether a user leaves for good before day `age` of their life (1 = the day after install):
 * most leave in the first days, a few each day later, so about a third come back the next day
 * and one in ten after a week, as in a typical mobile game.
 */
export function churnsBefore(random: SeededRandom, age: number): boolean {
  return random.chance(0.4 * Math.exp(-(age - 1) / 3) + 0.015);
}
