import { APP_ID_LIST_RULE, parseAppIdList } from '../../lambdas/core/identifiers';
import { DEFAULT_LAKE_START_DATE } from '../../lambdas/core/lake-window';
import { CliError } from './cli-error';
import {
  booleanEnv,
  dataDirOf,
  type Given,
  given,
  integerIn,
  lakeStartDateOf,
  parseFlags,
  textOr,
} from './cli-flags';

/** How `npm start` runs; read once, from flags, then environment variables, then defaults. */
export interface LocalConfig {
  /** Port to listen on; 0 picks a free one. @default 3000 (`--port`, `PORT`) */
  readonly port: number;
  /** Address to listen on. @default '127.0.0.1', this machine only (`--host`, `HOST`) */
  readonly host: string;
  /** The lake folder. @default './.lake' (`--data-dir`, `DATA_DIR`) */
  readonly dataDir: string;
  /** Generate the `demo` app's history when the lake is empty. @default true (`--no-sample-data`, `NO_SAMPLE_DATA`) */
  readonly sampleData: boolean;
  /** Answer KPIs from current rollups where there are (docs/ROLLUPS.md). @default true (`--no-rollups`, `NO_ROLLUPS`) */
  readonly rollups: boolean;
  /** The lake's first day, as the stack's `lakeStartDate`. @default '2014-01-01' (`--lake-start-date`, `LAKE_START_DATE`) */
  readonly lakeStartDate: string;
  /** The only app ids the doors accept, as the stack's `ingestAllowedApps`. @default every app id (`--allowed-apps`, `ALLOWED_APPS`) */
  readonly allowedApps?: ReadonlySet<string>;
}

export const SERVER_USAGE = `Usage: npm start -- [options]

Serves the ingest doors and the KPI API on DuckDB over a local lake folder.

Options (flag, else environment variable, else default):
  --port <n>          PORT            port to listen on, 0 for any free one   (default 3000)
  --host <address>    HOST            address to listen on                    (default 127.0.0.1)
  --data-dir <path>   DATA_DIR        the lake folder, created when missing   (default ./.lake)
  --no-sample-data    NO_SAMPLE_DATA  do not generate the demo app's history when the lake is empty
  --no-rollups        NO_ROLLUPS      answer every KPI from raw events (slower; to compare)
  --lake-start-date <day>  LAKE_START_DATE  the lake's first day: the doors refuse events dated
                                            before it, KPIs read nothing before it (default ${DEFAULT_LAKE_START_DATE})
  --allowed-apps <ids>     ALLOWED_APPS     the only app ids the doors accept, e.g. game,game-beta
                                            (default: every app id)
  --help                              show this help`;

export type ServerCommand = { readonly help: true } | { readonly help: false; readonly config: LocalConfig };

function allowedAppsOf(value: Given | undefined): ReadonlySet<string> | undefined {
  if (value === undefined) return undefined;
  const apps = parseAppIdList(value.value);
  if (apps === undefined) {
    throw new CliError(`${value.source} must be ${APP_ID_LIST_RULE}; got ${JSON.stringify(value.value)}`);
  }
  return apps;
}

/** Reads the server's configuration; a bad value is a CliError naming the flag or variable. */
export function parseServerCommand(argv: readonly string[], env: NodeJS.ProcessEnv): ServerCommand {
  const flags = parseFlags(
    argv,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'no-sample-data': { type: 'boolean' },
      'no-rollups': { type: 'boolean' },
      'lake-start-date': { type: 'string' },
      'allowed-apps': { type: 'string' },
      help: { type: 'boolean' },
    },
    'npm start --',
  );
  if (flags.help) return { help: true };
  const noSampleData = flags['no-sample-data'] === true || booleanEnv('NO_SAMPLE_DATA', env.NO_SAMPLE_DATA);
  const noRollups = flags['no-rollups'] === true || booleanEnv('NO_ROLLUPS', env.NO_ROLLUPS);
  return {
    help: false,
    config: {
      port: integerIn(given(flags, 'port', { name: 'PORT', value: env.PORT }), 3000, 0, 65535),
      host: textOr(given(flags, 'host', { name: 'HOST', value: env.HOST }), '127.0.0.1'),
      dataDir: dataDirOf(flags, env),
      sampleData: !noSampleData,
      rollups: !noRollups,
      lakeStartDate: lakeStartDateOf(flags, env),
      allowedApps: allowedAppsOf(
        given(flags, 'allowed-apps', { name: 'ALLOWED_APPS', value: env.ALLOWED_APPS }),
      ),
    },
  };
}
