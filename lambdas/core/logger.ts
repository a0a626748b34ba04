import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one structured logger. Payloads are never logged at info level; the level comes
 * from `POWERTOOLS_LOG_LEVEL` (default INFO).
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'mobile-kpi-pipeline',
});
