import { DuckDBInstance } from '@duckdb/node-api';
import { Lake } from '../lake/lake';
import { lakeStats } from '../lake/lake-files';
import { LakeRollups } from '../rollups/lake-rollups';
import { DEFAULT_DATA_DIR, dataDirOf, parseFlags } from './cli-flags';
import { runCli } from './run-cli';

const USAGE = `Usage: npm run compact -- [--data-dir <path>]

Converts what the lake's log still holds to Parquet, merges the files of every lake partition
into one file per partition, so KPI queries open fewer files, and rebuilds every rollup
(docs/ROLLUPS.md) from the raw events, so KPIs read every day from rollups. A running server
converts, compacts and rolls up by itself; stop it before running this on the same data dir.

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
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const lake = await Lake.open({
      dataDir: dataDirOf(flags, process.env),
      command: 'npm run compact',
      instance,
      derivations: [new LakeRollups({ rebuild: true })],
    });
    try {
      const before = await lakeStats(lake.dataDir);
      const started = performance.now();
      const compacted = await lake.compactAll();
      const after = await lakeStats(lake.dataDir);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stdout.write(
        `Compacted ${compacted} of ${after.partitions} partitions and rebuilt their rollups in ${seconds} s: ${before.files} files (${mib(before.bytes)}) -> ${after.files} files (${mib(after.bytes)})\n`,
      );
    } finally {
      await lake.close();
    }
  } finally {
    instance.closeSync();
  }
}

runCli(main);
