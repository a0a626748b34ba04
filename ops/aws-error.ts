/** An AWS SDK error as AWS put it: its name (the error code) and message, with the request id when there is one. */
export function awsError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const requestId = (err as { $metadata?: { requestId?: string } }).$metadata?.requestId;
  return `${err.name}: ${err.message}${requestId ? ` (request id ${requestId})` : ''}`;
}
