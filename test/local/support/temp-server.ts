import {
  type LocalServer,
  type LocalServerOptions,
  startLocalServer,
} from '../../../local/server/local-server';
import { TEST_LAKE } from '../../support/lake';
import { tempDir } from './lake-fixtures';

export interface TempServer {
  readonly server: LocalServer;
  /** Closes the server and deletes its lake. */
  close(): Promise<void>;
}

/**
 * The real local server on a fresh temporary lake: a free port on 127.0.0.1, the tests' lake
 * window, no sample data, no app allowlist, ready to answer. `options` may set the clock and the rest.
 */
export async function startTempServer(
  name: string,
  options: Partial<Omit<LocalServerOptions, 'dataDir'>> = {},
): Promise<TempServer> {
  const lake = await tempDir(name);
  const server = await startLocalServer({
    port: 0,
    host: '127.0.0.1',
    sampleData: false,
    lakeStartDate: TEST_LAKE.startDate,
    ...options,
    dataDir: lake.path,
  });
  await server.ready;
  return {
    server,
    close: async () => {
      await server.close();
      await lake.remove();
    },
  };
}
