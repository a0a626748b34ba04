/** Durations in milliseconds, the unit of every timestamp in the event record. */
export const SECOND_MS = 1_000;
export const MINUTE_MS = 60 * SECOND_MS;
export const QUARTER_HOUR_MS = 15 * MINUTE_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
/** Quarter-hours in a UTC day: rollups count activity per UTC quarter-hour (docs/ROLLUPS.md). */
export const QUARTERS_PER_DAY = DAY_MS / QUARTER_HOUR_MS;
