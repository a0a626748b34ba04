import { DuckDBInstance } from '@duckdb/node-api';
import { compactLake } from '../lake/compact';
import { lakeStats } from '../lake/lake-files';
import { openLake } from '../lake/open-lake';
import { DEFAULT_DATA_DIR, dataDirOf, parseFlags } from './cli-flags';
import { runCli } from './run-cli';

const USAGE = `Usage: npm run compact -- [--data-dir <path>]

Merges the small Parquet files of every lake partition into one file per partition, so KPI
queries open fewer files, and rebuilds every rollup (docs/ROLLUPS.md) from the raw events, so
KPIs read every day from rollups. A running server does both by itself when idle; stop it
before running this on the same data dir.

Options:
  --data-dir <path>   the lake folder; env DATA_DIR   (default ${DEFAULT_DATA_DIR})
  --help              show this help`;

const mib = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MiB`;

async function main(): Promise<void> {
  const flags = parseFlags(
    process.argv.slice(2),
    { 'data-dir': { type: 'string' }, help: { type: 'boolean' } },
    'npm run compact --',
  );
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const lake = await openLake(dataDirOf(flags, process.env), 'npm run compact');
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const before = await lakeStats(lake.dataDir);
    const started = performance.now();
    const connection = await instance.connect();
    const compacted = await compactLake({ connection, dataDir: lake.dataDir, rebuild: true });
    connection.closeSync();
    const after = await lakeStats(lake.dataDir);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `Compacted and rolled up ${compacted.length} of ${after.partitions} partitions in ${seconds} s: ${before.files} files (${mib(before.bytes)}) -> ${after.files} files (${mib(after.bytes)})\n`,
    );
  } finally {
    instance.closeSync();
    await lake.release();
  }
}

runCli(main);
