/**
 * The made-up but plausible world of the sample app: devices, locales, products, app releases.
 * Weights are rough shares of users.
 */

export interface SampleDevice {
  readonly weight: number;
  readonly make: string;
  readonly model: string;
  readonly platform: 'Android' | 'iOS';
  readonly versions: readonly string[];
}

export const DEVICES: readonly SampleDevice[] = [
  { weight: 14, make: 'samsung', model: 'SM-S921B', platform: 'Android', versions: ['14', '15'] },
  { weight: 12, make: 'samsung', model: 'SM-A546B', platform: 'Android', versions: ['13', '14'] },
  { weight: 8, make: 'Google', model: 'Pixel 8', platform: 'Android', versions: ['14', '15'] },
  { weight: 6, make: 'Google', model: 'Pixel 7a', platform: 'Android', versions: ['14'] },
  { weight: 7, make: 'Xiaomi', model: '23049PCD8G', platform: 'Android', versions: ['13', '14'] },
  { weight: 4, make: 'OnePlus', model: 'CPH2449', platform: 'Android', versions: ['14'] },
  { weight: 4, make: 'motorola', model: 'moto g54 5G', platform: 'Android', versions: ['13', '14'] },
  { weight: 15, make: 'apple', model: 'iPhone16,1', platform: 'iOS', versions: ['17.6.1', '18.2', '18.3.1'] },
  { weight: 13, make: 'apple', model: 'iPhone15,2', platform: 'iOS', versions: ['17.6.1', '18.2'] },
  { weight: 10, make: 'apple', model: 'iPhone14,7', platform: 'iOS', versions: ['17.5', '18.1'] },
  { weight: 4, make: 'apple', model: 'iPhone13,2', platform: 'iOS', versions: ['16.7.10', '17.5'] },
  { weight: 3, make: 'apple', model: 'iPad13,18', platform: 'iOS', versions: ['17.6.1', '18.2'] },
];

export interface SampleLocale {
  readonly weight: number;
  readonly code: string;
  /** Typical UTC offset of the users, in hours, for when they play. */
  readonly utcOffset: number;
}

export const LOCALES: readonly SampleLocale[] = [
  { weight: 30, code: 'en_US', utcOffset: -6 },
  { weight: 8, code: 'en_GB', utcOffset: 0 },
  { weight: 9, code: 'de_DE', utcOffset: 1 },
  { weight: 6, code: 'fr_FR', utcOffset: 1 },
  { weight: 10, code: 'pt_BR', utcOffset: -3 },
  { weight: 7, code: 'es_MX', utcOffset: -6 },
  { weight: 9, code: 'ja_JP', utcOffset: 9 },
  { weight: 5, code: 'ko_KR', utcOffset: 9 },
  { weight: 12, code: 'hi_IN', utcOffset: 5.5 },
  { weight: 4, code: 'en_AU', utcOffset: 10 },
];

export interface SampleProduct {
  readonly weight: number;
  readonly id: string;
  /** Price in USD (the store reports every purchase in USD here, so daily revenue adds up). */
  readonly price: number;
}

export const PRODUCTS: readonly SampleProduct[] = [
  { weight: 40, id: 'gems_small', price: 0.99 },
  { weight: 20, id: 'starter_pack', price: 2.99 },
  { weight: 18, id: 'gems_medium', price: 4.99 },
  { weight: 10, id: 'season_pass', price: 7.99 },
  { weight: 8, id: 'gems_large', price: 9.99 },
  { weight: 4, id: 'gems_huge', price: 19.99 },
];

export interface SampleRelease {
  /** Day of the history (0 = first day) the release ships; users update over the following days. */
  readonly day: number;
  readonly name: string;
  readonly code: string;
}

/** App releases, spread over the history's length by {@link releasesFor}. */
export function releasesFor(days: number): readonly SampleRelease[] {
  return [
    { day: -1, name: '1.4.2', code: '142' },
    { day: Math.floor(days / 3), name: '1.5.0', code: '150' },
    { day: Math.floor((days * 2) / 3), name: '1.6.0', code: '160' },
  ];
}

export const SDKS = {
  Android: { name: 'aws-sdk-android', version: '2.77.0' },
  iOS: { name: 'aws-sdk-iOS', version: '2.36.7' },
} as const;

/** Share of the hours of a local day at which sessions start (index = local hour). */
export const HOURLY_ACTIVITY: readonly number[] = [
  2, 1, 1, 1, 1, 1, 2, 4, 6, 6, 6, 7, 9, 9, 7, 7, 8, 9, 11, 13, 14, 13, 9, 5,
];

export const AD_NETWORKS = ['AdMob', 'AppLovin', 'Unity Ads', 'ironSource'] as const;
export const DIFFICULTIES = [
  { weight: 60, name: 'normal' },
  { weight: 25, name: 'easy' },
  { weight: 15, name: 'hard' },
] as const;
