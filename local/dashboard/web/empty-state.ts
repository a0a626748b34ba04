import { h } from './dom';

/** What to do when an app has no events yet: locally, a curl line that sends one; deployed, where to send them. */
export function sendEventHint(mode: 'local' | 'deployed', app: string): HTMLElement {
  if (mode === 'deployed') {
    return h(
      'p',
      {},
      'Send events to the stack’s ingest API (IngestApiUrl) with the Pinpoint or Mobile Analytics SDKs; see “Pointing an existing SDK at the new endpoint” in the README.',
    );
  }
  const now = new Date().toISOString();
  const body = JSON.stringify({
    BatchItem: {
      'my-device-1': {
        Endpoint: {},
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
  const command = `curl -X POST '${location.origin}/v1/apps/${app}/events' -H 'Content-Type: application/json' -d '${body}'`;
  return h(
    'div',
    {},
    h('p', {}, 'Send one with:'),
    h('pre', { class: 'command', tabindex: 0 }, h('code', {}, command)),
    h(
      'p',
      { class: 'quiet' },
      'Events sent today show in a custom range that ends today; the presets end yesterday.',
    ),
  );
}
