export interface StackImportOptions {
  readonly stackName: string;
  readonly sources: readonly string[];
  readonly appMap: ReadonlyMap<string, string>;
  readonly dryRun: boolean;
  readonly concurrency: number;
  readonly progress: NodeJS.WritableStream & { isTTY?: boolean };
  readonly out: NodeJS.WritableStream;
}

export async function runStackImport(_options: StackImportOptions): Promise<void> {
  throw new Error('not yet');
}
