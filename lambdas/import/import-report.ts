/** Where an import run keeps its reports in the lake bucket (the local lake uses the same folder name). */
export const IMPORT_REPORTS_PREFIX = 'import-reports/';

/** The report folder of one run: `import-reports/<run>/`. */
export function importReportPrefix(run: string): string {
  return `${IMPORT_REPORTS_PREFIX}${run}/`;
}

/** A run id that is also a valid Step Functions execution name: `import-<UTC time>`. */
export function importRunId(now: number): string {
  return `import-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
}
