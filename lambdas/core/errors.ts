/**
 * The project's error hierarchy. Every error a caller can cause is an {@link HttpError}
 * that knows its status; one mapper (`lambdas/http/error-handler.ts`) renders them for
 * every runtime, so the Lambda adapters and the local server answer alike.
 */
export class AppError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An error that is answered with its own HTTP status and a `{"message": ...}` body. */
export class HttpError extends AppError {
  constructor(
    readonly status: 400 | 403 | 404 | 405 | 413 | 415 | 429 | 500 | 503 | 504,
    message: string,
    options?: { cause?: unknown; readonly headers?: Record<string, string> },
  ) {
    super(message, options);
    this.headers = options?.headers ?? {};
  }
  readonly headers: Record<string, string>;
}

/** The request is malformed; the message names what is wrong and what is allowed. */
export class BadRequestError extends HttpError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(400, message, options);
  }
}

/** The caller may not do this here, whoever it is (e.g. an app id a collector does not accept). */
export class ForbiddenError extends HttpError {
  constructor(message: string) {
    super(403, message);
  }
}
/**
 * The body is over the limit. The answer closes the connection: a body larger still may not have
 * been read to its end, and the connection cannot carry another request after it.
 */
export class PayloadTooLargeError extends HttpError {
  constructor(message: string) {
    super(413, message, { headers: { Connection: 'close' } });
  }
}

/** Downstream (Firehose, Athena) refused or failed: the client should retry later. */
export class ServiceUnavailableError extends HttpError {
  constructor(message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(503, message, {
      cause: options?.cause,
      headers: options?.retryAfterSeconds ? { 'Retry-After': String(options.retryAfterSeconds) } : {},
    });
  }
}

/** Downstream throttled us and retries within our time budget did not clear it. */
export class TooManyRequestsError extends HttpError {
  constructor(message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(429, message, {
      cause: options?.cause,
      headers: options?.retryAfterSeconds ? { 'Retry-After': String(options.retryAfterSeconds) } : {},
    });
  }
}

/** A query did not finish before its deadline. */
export class GatewayTimeoutError extends HttpError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(504, message, options);
  }
}
