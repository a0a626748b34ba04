import { DEFAULT_LAKE_START_DATE, lakeWindow } from '../../lambdas/core/lake-window';

/** The lake the tests run on: the default first day, as deployed and as `npm start` without flags. */
export const TEST_LAKE = lakeWindow(DEFAULT_LAKE_START_DATE);
