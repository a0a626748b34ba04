/**
 * The ingest doors with a sink that stores nothing, over loopback HTTP: the ceiling of what the
 * local server's HTTP path (node:http, hono, the doors) can take on this machine, for
 * `lake-ingest-bench.ts` to compare the lake with. Prints `listening on <url>` like `npm start`.
 *
 *   npx tsx bench/noop-sink-server.ts
 */
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { DEFAULT_LAKE_START_DATE, lakeWindow } from '../lambdas/core/lake-window';
import { createIngestApp } from '../lambdas/ingest/ingest-app';

process.env.POWERTOOLS_METRICS_DISABLED = 'true';

const app = createIngestApp({
  sink: { put: () => Promise.resolve() },
  lake: lakeWindow(DEFAULT_LAKE_START_DATE),
});
const server = createAdaptorServer({ fetch: app.fetch }) as Server;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`listening on http://127.0.0.1:${port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
