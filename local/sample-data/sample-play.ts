import type { SeededRandom } from '../../lambdas/core/seeded-random';
import { AD_NETWORKS, DIFFICULTIES, PRODUCTS } from './sample-catalogue';
import type { SampleUser } from './sample-user';

/** One event of a session: [ms after the session start, event type, attributes, metrics]. */
export type PlayStep = [number, string, Record<string, string>, Record<string, number>];

/**
 * What a player does in one session of the sample game: the tutorial the first time, one to six
 * levels (started, then completed with a score or failed), ads between levels, and now and then
 * a purchase (payers buy far more often). Advances the player's level.
 */
export function play(random: SeededRandom, user: SampleUser): PlayStep[] {
  const steps: PlayStep[] = [];
  let t = random.int(2_000, 15_000);
  if (user.sessions === 0) {
    const seconds = random.int(40, 180);
    t += seconds * 1000;
    steps.push([t, 'tutorial_complete', {}, { duration_seconds: seconds }]);
  }
  for (let levels = 1 + Math.floor(random.next() ** 2 * 6); levels > 0; levels--) {
    const attributes = { level: String(user.level), difficulty: random.weighted(DIFFICULTIES).name };
    steps.push([t, 'level_start', attributes, {}]);
    const seconds = random.int(45, 240);
    t += seconds * 1000;
    if (random.chance(0.72)) {
      const score = Math.round(seconds * (20 + random.next() * 60)) * 10;
      steps.push([
        t,
        'level_complete',
        attributes,
        { score, duration_seconds: seconds, stars: random.int(1, 3) },
      ]);
      user.level += 1;
    } else {
      const progress = Math.round(random.next() * 95);
      steps.push([t, 'level_fail', attributes, { duration_seconds: seconds, progress_percent: progress }]);
    }
    if (random.chance(0.3)) {
      t += random.int(5_000, 30_000);
      const placement = random.chance(0.6) ? 'interstitial' : 'rewarded';
      steps.push([t, 'ad_impression', { ad_network: random.pick(AD_NETWORKS), placement }, {}]);
    }
  }
  if (random.chance(user.payer ? 0.2 : 0.004)) {
    t += random.int(5_000, 40_000);
    const product = random.weighted(PRODUCTS);
    const store = user.device.platform === 'iOS' ? 'AppStore' : 'GooglePlay';
    const attributes = {
      _currency: 'USD',
      _product_id: product.id,
      _store: store,
      _transaction_id: random.uuid(),
    };
    steps.push([t, '_monetization.purchase', attributes, { _item_price: product.price, _quantity: 1 }]);
  }
  return steps;
}
