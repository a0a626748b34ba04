import type { Server } from 'node:http';
import { CliError } from '../cli/cli-error';

/**
 * Starts a server listening and resolves with its port; what the user can fix (a port in use,
 * a privileged port, a host that is not this machine's) is a {@link CliError} naming the flag.
 */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(
          new CliError(
            `Port ${port} is already in use on ${host}; stop what uses it or choose another with --port`,
          ),
        );
      } else if (err.code === 'EACCES') {
        reject(
          new CliError(
            `Port ${port} needs more privileges than this user has; choose a port above 1023 with --port`,
          ),
        );
      } else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') {
        reject(
          new CliError(`Cannot listen on host ${host}: it is not an address of this machine; check --host`),
        );
      } else {
        reject(err);
      }
    });
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
