/**
 * `npm run bench`: runs every `bench/*-bench.ts` in turn, each in its own process (so one
 * benchmark's settings and memory do not affect the next), and stops at the first failure.
 * `npm run bench -- <name>…` runs only those (e.g. `lake-ingest`); any other argument (`--help`)
 * prints the benchmarks and runs nothing (before, any argument was ignored and everything ran):
 * each takes its own options when run alone (`npx tsx bench/<name>-bench.ts …`, docs/benchmarks.md).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const all = readdirSync(__dirname)
  .filter((name) => name.endsWith('-bench.ts'))
  .sort();
const names = all.map((file) => file.replace(/-bench\.ts$/, ''));
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !names.includes(name));
if (unknown.length > 0) {
  const usage = `Usage: npm run bench [-- <benchmark>…]\nBenchmarks: ${names.join(', ')}\nEach takes its own options when run alone (npx tsx bench/<benchmark>-bench.ts …): see docs/benchmarks.md and the comment at the top of its file\n`;
  const help = unknown.every((a) => a === '--help' || a === '-h');
  (help ? process.stdout : process.stderr).write(
    help ? usage : `Unknown benchmark ${unknown.join(', ')}\n${usage}`,
  );
  process.exit(help ? 0 : 2);
}
const benches =
  asked.length === 0 ? all : all.filter((file) => asked.includes(file.replace(/-bench\.ts$/, '')));

for (const bench of benches) {
  process.stdout.write(`\n=== bench/${bench}\n\n`);
  const result = spawnSync(tsx, [join('bench', bench)], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`bench/${bench} failed (exit ${result.status ?? result.signal})\n`);
    process.exit(1);
  }
}
