import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { sqlString } from '../../../lambdas/core/sql-literal';
import { Lake } from '../../../local/lake/lake';

/** A fresh temporary folder; `remove` deletes it. */
export async function tempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Every file below a folder, as paths relative to it, sorted. */
export async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** Runs one SQL statement on a fresh connection and returns the rows as JSON-friendly objects. */
export async function sqlRows(instance: DuckDBInstance, sql: string): Promise<Record<string, unknown>[]> {
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
  }
}

/** Every row of the lake's Parquet files (partition columns from the path), by reading the files directly. */
export function lakeRows(
  instance: DuckDBInstance,
  dataDir: string,
  select = '*',
): Promise<Record<string, unknown>[]> {
  const glob = join(dataDir, 'events', 'app_id=*', 'dt=*', '*.parquet');
  return sqlRows(
    instance,
    `SELECT ${select} FROM read_parquet(${sqlString(glob)}, hive_partitioning = true)`,
  );
}

/** Opens a lake on the folder, runs `use`, and closes the lake (converting its log) whatever happens. */
export async function withLake<T>(
  instance: DuckDBInstance,
  dataDir: string,
  use: (lake: Lake) => Promise<T>,
): Promise<T> {
  const lake = await Lake.open({ dataDir, command: 'a test', instance });
  try {
    return await use(lake);
  } finally {
    await lake.close();
  }
}
