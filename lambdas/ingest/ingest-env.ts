import type { LambdaBindings, RequestIdVariables } from '../http/request-id';

/** The hono environment of the ingest app: Lambda bindings when run by the adapter, the request id always. */
export interface IngestEnv {
  Bindings: LambdaBindings;
  Variables: RequestIdVariables;
}
