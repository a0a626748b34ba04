import { utcDay } from '../../lambdas/core/calendar-day';

export interface BannerFacts {
  readonly url: string;
  readonly dataDir: string;
  /** How long the start took, sample data included (ms). */
  readonly readyMs: number;
  /** The clock, for the example event's time. */
  readonly now: number;
}

/** What `npm start` prints once it serves: where, and curl lines to try. */
export function startupBanner(facts: BannerFacts): string {
  const { url } = facts;
  const now = new Date(facts.now).toISOString();
  const today = utcDay(facts.now);
  const event = JSON.stringify({
    BatchItem: {
      'my-device-1': {
        Endpoint: { Demographic: { Platform: 'Android', Locale: 'en_US' } },
        Events: {
          'event-1': {
            EventType: '_session.start',
            Timestamp: now,
            Session: { Id: 's-1', StartTimestamp: now },
          },
        },
      },
    },
  });
  return [
    `Local KPI server listening on ${url} (lake: ${facts.dataDir}, ready in ${(facts.readyMs / 1000).toFixed(1)} s)`,
    '',
    `Dashboard: open ${url}/ in a browser`,
    '',
    'Daily active users, monthly active users and day-1 retention of the sample app, last 30 days:',
    `  curl '${url}/apps/demo/kpis/dau/count'`,
    `  curl '${url}/apps/demo/kpis/mau/count'`,
    `  curl '${url}/apps/demo/kpis/day-1-retention/count'`,
    'Send an event (Amazon Pinpoint PutEvents) and see it counted today:',
    `  curl -X POST '${url}/v1/apps/demo/events' -H 'Content-Type: application/json' -d '${event}'`,
    `  curl '${url}/apps/demo/kpis/dau/count?startDate=${today}&endDate=${today}'`,
    `Every path: ${url}/openapi.json    Stop: Ctrl-C`,
    '',
  ].join('\n');
}
