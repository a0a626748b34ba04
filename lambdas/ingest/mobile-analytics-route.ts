import type { Handler } from 'hono';
import type { EventSink } from '../core/event-sink';
import type { LakeWindow } from '../core/lake-window';
import { logger } from '../core/logger';
import type { IngestEnv } from './ingest-env';
import { countAccepted } from './metrics';
import { parseClientContext } from './normalise/client-context';
import { MAX_MOBILE_ANALYTICS_BODY_BYTES } from './normalise/limits';
import { normaliseMobileAnalyticsEvents } from './normalise/mobile-analytics-events';
import { parseJsonBody, readBody } from './read-body';

/**
 * `POST /2014-06-05/events` (docs/CONTRACT.md §2b): Mobile Analytics PutEvents. All or nothing, as
 * the API has no per-event results: 202 once every event is with the sink, 400 naming the
 * first invalid event, 413 over 1024 KB, 500/429 when the sink refuses.
 */
export function mobileAnalyticsPutEvents(
  sink: EventSink,
  now: () => number,
  lake: LakeWindow,
): Handler<IngestEnv> {
  return async (c) => {
    const clientContext = parseClientContext(
      c.req.header('x-amz-client-context'),
      c.req.header('x-amz-client-context-encoding'),
    );
    const body = parseJsonBody(
      await readBody(c.req.raw, { maxBytes: MAX_MOBILE_ANALYTICS_BODY_BYTES, label: '1024 KB' }),
    );
    const records = normaliseMobileAnalyticsEvents(body, {
      clientContext,
      userAgent: c.req.header('user-agent'),
      arrivalTimestamp: now(),
      lake,
    });
    await sink.put(records);
    countAccepted(records.length);
    logger.info('mobile analytics events ingested', {
      requestId: c.get('requestId'),
      appId: clientContext.appId,
      accepted: records.length,
    });
    return c.body(null, 202);
  };
}
