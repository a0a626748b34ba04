import { DEFAULT_LAKE_START_DATE } from '../../lambdas/core/lake-window';
import { parseAppMap } from '../../lambdas/import/app-map';
import { STACK_FLAGS, stackTarget } from '../../ops/stack-flags';
import { runLocalImport } from '../import/local-import-command';
import { CliError } from './cli-error';
import { DEFAULT_DATA_DIR, dataDirOf, given, integerIn, lakeStartDateOf, parseCommand } from './cli-flags';
import { runCli } from './run-cli';

const USAGE = `Usage: npm run import -- [options] PATH...
       npm run import -- --stack NAME [options] s3://BUCKET/PREFIX/

Imports the event history you already have: Pinpoint event-stream objects that Firehose wrote
to S3 (JSON records, concatenated or one per line, gzip or not), Mobile Analytics auto-export
files (gzip JSON lines), NDJSON of event records and the lake's own Parquet files. Gzip and
Parquet are told by content, not by name. Importing the same files again adds nothing.

On this machine, PATH is a file, a folder (every file below it) or a quoted glob pattern; stop
a server that uses the same data dir first. With --stack, the files under the S3 prefix are
imported into the deployed stack by its import state machine (deploy it with -c importSources).

Options:
  --data-dir <path>     the lake folder; env DATA_DIR                (default ${DEFAULT_DATA_DIR})
  --lake-start-date <day>  the lake's first day, as given to npm start: events dated
                        before it are rejected; env LAKE_START_DATE   (default ${DEFAULT_LAKE_START_DATE})
  --app-map OLD=NEW     store app OLD as app NEW (repeatable)
  --dry-run             read and count everything, write nothing
  --stack <name>        import on AWS into this deployed stack
  --region <region>     with --stack: the stack's region (default: your AWS configuration's)
  --concurrency <n>     with --stack: objects read at once, 1 to 100   (default 4)
  --help                show this help`;

async function main(): Promise<void> {
  const { flags, lists, positionals } = parseCommand(
    process.argv.slice(2),
    {
      'data-dir': { type: 'string' },
      'lake-start-date': { type: 'string' },
      'app-map': { type: 'string', multiple: true },
      'dry-run': { type: 'boolean' },
      ...STACK_FLAGS,
      concurrency: { type: 'string' },
    },
    'npm run import --',
  );
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals.length === 0) {
    throw new CliError('Give the files, folders or s3:// prefix to import. Run `npm run import -- --help`');
  }
  let appMap: Map<string, string>;
  try {
    appMap = parseAppMap(lists['app-map'] ?? []);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  const dryRun = flags['dry-run'] === true;
  if (flags.stack !== undefined) {
    for (const local of ['data-dir', 'lake-start-date']) {
      if (flags[local] !== undefined) {
        throw new CliError(
          `--${local} applies to imports on this machine; with --stack the stack's own settings apply`,
        );
      }
    }
    const { runStackImport } = await import('../../ops/stack-import-command');
    await runStackImport({
      ...stackTarget(flags),
      sources: positionals,
      appMap,
      dryRun,
      concurrency: integerIn(given(flags, 'concurrency'), 4, 1, 100),
      progress: process.stderr,
      out: process.stdout,
    });
    return;
  }
  for (const remote of ['concurrency', 'region']) {
    if (flags[remote] !== undefined) throw new CliError(`--${remote} applies to --stack imports only`);
  }
  const result = await runLocalImport({
    dataDir: dataDirOf(flags, process.env),
    lakeStartDate: lakeStartDateOf(flags, process.env),
    paths: positionals,
    appMap,
    dryRun,
    progress: process.stderr,
  });
  process.stdout.write(`${result.summary}\n`);
}

runCli(main);
