import { DuckDBInstance } from '@duckdb/node-api';
import { parseDay } from '../../lambdas/core/calendar-day';
import { APP_ID_RULE, isValidAppId } from '../../lambdas/core/identifiers';
import { Lake } from '../lake/lake';
import { writeSampleData } from '../sample-data/sample-data';
import { CliError } from './cli-error';
import { DEFAULT_DATA_DIR, dataDirOf, given, integerIn, parseFlags, textOr } from './cli-flags';
import { runCli } from './run-cli';

const USAGE = `Usage: npm run sample-data -- [options]

Writes a realistic, reproducible event history of one app into the lake, e.g. for benchmarks.
Stop a server that uses the same data dir first.

Options:
  --app <id>          app id                                         (default demo)
  --events <n>        about how many events (within about 10%)       (default 250000)
  --days <n>          days of history                                (default 90)
  --end-date <day>    last day of the history, YYYY-MM-DD            (default yesterday, UTC)
  --seed <n>          the same seed makes the same events            (default 1)
  --data-dir <path>   the lake folder; env DATA_DIR                  (default ${DEFAULT_DATA_DIR})
  --help              show this help`;

async function main(): Promise<void> {
  const flags = parseFlags(
    process.argv.slice(2),
    {
      app: { type: 'string' },
      events: { type: 'string' },
      days: { type: 'string' },
      'end-date': { type: 'string' },
      seed: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean' },
    },
    'npm run sample-data --',
  );
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const appId = textOr(given(flags, 'app'), 'demo');
  if (!isValidAppId(appId)) {
    throw new CliError(`--app is ${JSON.stringify(appId)}; an app id is ${APP_ID_RULE}`);
  }
  const endDate = given(flags, 'end-date')?.value;
  if (endDate !== undefined && parseDay(endDate) === undefined) {
    throw new CliError(`--end-date must be a calendar day as YYYY-MM-DD; got ${JSON.stringify(endDate)}`);
  }
  const events = integerIn(given(flags, 'events'), 250_000, 1, 100_000_000);
  const days = integerIn(given(flags, 'days'), 90, 1, 3660);
  const seed = integerIn(given(flags, 'seed'), 1, 0, 2 ** 32 - 1);

  const instance = await DuckDBInstance.create(':memory:');
  const lake = await Lake.open({
    dataDir: dataDirOf(flags, process.env),
    command: 'npm run sample-data',
    instance,
  }).catch((err: unknown) => {
    instance.closeSync();
    throw err;
  });
  try {
    if (lake.holdsEvents(appId)) {
      throw new CliError(
        `The lake in ${lake.dataDir} already holds events of app ${appId}; choose another --app or --data-dir`,
      );
    }
    const started = performance.now();
    const options = { instance, lake, appId, events, days, endDate, seed };
    const summary = await writeSampleData({ ...options, progress: process.stderr });
    const seconds = (performance.now() - started) / 1000;
    const rate = Math.round(summary.events / seconds).toLocaleString('en-US');
    process.stdout.write(
      `Wrote ${summary.events.toLocaleString('en-US')} events of app ${appId} (${summary.firstDay} to ${summary.lastDay}) into ${lake.dataDir} in ${seconds.toFixed(1)} s (${rate} events/s)\n`,
    );
  } finally {
    await lake.close();
    instance.closeSync();
  }
}

runCli(main);
