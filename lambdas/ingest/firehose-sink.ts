import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { ServiceUnavailableError, TooManyRequestsError } from '../core/errors';
import type { EventRecord } from '../core/event-record';
import type { EventSink } from '../core/event-sink';
import { logger } from '../core/logger';
import { fullJitterDelay } from './backoff';
import { countRetried, countUndelivered } from './metrics';
import { encodeRecord } from './normalise/encode-record';
import { MAX_FIREHOSE_RECORD_BYTES } from './normalise/limits';

/** PutRecordBatch takes at most 500 records and 4 MiB per call. */
export const MAX_BATCH_RECORDS = 500;
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;

const THROTTLING = new Set(['ServiceUnavailableException', 'ThrottlingException']);

export interface FirehoseSinkOptions {
  /** The delivery stream the records go to. */
  readonly deliveryStreamName: string;
  /** @default a FirehoseClient for the runtime's region, with SDK retries off (this sink retries) */
  readonly client?: FirehoseClient;
  /**
   * Time to keep retrying failed records, from the first attempt, in ms; well under the
   * API Gateway (29 s) and Lambda timeouts, so the client hears 500/429 rather than a timeout.
   * @default 10000
   */
  readonly retryBudgetMs?: number;
  /** @default 50 */
  readonly baseDelayMs?: number;
  /** @default 2000 */
  readonly maxDelayMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default a timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Math.random */
  readonly random?: () => number;
}

interface Attempt {
  readonly failed: readonly Uint8Array[];
  readonly retryable: boolean;
  readonly throttled: boolean;
  readonly reason: string;
}

interface Failure {
  /** Entries of the batch still not in Firehose. */
  readonly pending: number;
  readonly attempts: number;
  readonly last: Attempt;
}

function batches(data: readonly Uint8Array[]): Uint8Array[][] {
  const out: Uint8Array[][] = [];
  let current: Uint8Array[] = [];
  let bytes = 0;
  for (const item of data) {
    if (current.length === MAX_BATCH_RECORDS || bytes + item.byteLength > MAX_BATCH_BYTES) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.byteLength;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * The deployed {@link EventSink}: each record as one newline-terminated JSON Firehose record,
 * sent with PutRecordBatch in batches within Firehose's limits. Only the entries Firehose
 * reports failed are sent again, with full-jitter backoff, until the retry budget is spent;
 * then `put` rejects (429 when throttled, else 503, which the doors answer 500) and never
 * resolves with records lost.
 * The cause (which may name AWS resources) is logged, never told to the client.
 */
export class FirehoseSink implements EventSink {
  private readonly client: FirehoseClient;
  private readonly retryBudgetMs: number;
  private readonly backoff: { baseDelayMs: number; maxDelayMs: number; random: () => number };
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: FirehoseSinkOptions) {
    if (options.deliveryStreamName.trim() === '') throw new Error('deliveryStreamName must not be empty');
    this.retryBudgetMs = options.retryBudgetMs ?? 10_000;
    const baseDelayMs = options.baseDelayMs ?? 50;
    const maxDelayMs = options.maxDelayMs ?? 2_000;
    if (!(this.retryBudgetMs >= 0))
      throw new Error(`retryBudgetMs must be 0 or more, got ${this.retryBudgetMs}`);
    if (!(baseDelayMs > 0 && maxDelayMs >= baseDelayMs)) {
      throw new Error(
        `need 0 < baseDelayMs <= maxDelayMs, got baseDelayMs ${baseDelayMs}, maxDelayMs ${maxDelayMs}`,
      );
    }
    this.client = options.client ?? new FirehoseClient({ maxAttempts: 1 });
    this.backoff = { baseDelayMs, maxDelayMs, random: options.random ?? Math.random };
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async put(records: readonly EventRecord[]): Promise<void> {
    const data = records.map((record) => Buffer.from(encodeRecord(record)));
    const oversized = data.findIndex((d) => d.byteLength > MAX_FIREHOSE_RECORD_BYTES);
    if (oversized >= 0) {
      throw new RangeError(
        `record ${oversized} is over ${MAX_FIREHOSE_RECORD_BYTES} bytes; the doors must reject it`,
      );
    }
    const deadline = this.now() + this.retryBudgetMs;
    const all = batches(data);
    for (const [index, batch] of all.entries()) {
      const failure = await this.deliver(batch, deadline);
      if (failure) {
        const notTried = all.slice(index + 1).reduce((n, b) => n + b.length, 0);
        throw this.giveUp(failure.pending + notTried, failure);
      }
    }
  }

  /** Sends one batch until every entry is in, or returns how it failed. */
  private async deliver(batch: readonly Uint8Array[], deadline: number): Promise<Failure | undefined> {
    let pending = batch;
    for (let retry = 0; ; retry++) {
      const attempt = await this.attempt(pending, deadline);
      if (attempt.failed.length === 0) return undefined;
      pending = attempt.failed;
      const delay = fullJitterDelay(retry, this.backoff);
      if (!attempt.retryable || this.now() + delay > deadline) {
        return { pending: pending.length, attempts: retry + 1, last: attempt };
      }
      countRetried(pending.length);
      await this.sleep(delay);
    }
  }

  private async attempt(pending: readonly Uint8Array[], deadline: number): Promise<Attempt> {
    const command = new PutRecordBatchCommand({
      DeliveryStreamName: this.options.deliveryStreamName,
      Records: pending.map((Data) => ({ Data })),
    });
    try {
      const abortSignal = AbortSignal.timeout(Math.ceil(Math.max(deadline - this.now(), 1_000)));
      const output = await this.client.send(command, { abortSignal });
      const responses = output.RequestResponses ?? [];
      const all = responses.length !== pending.length;
      const failed = pending.filter((_, i) => all || responses[i]?.ErrorCode !== undefined);
      if (failed.length === 0 && !output.FailedPutCount)
        return { failed, retryable: true, throttled: false, reason: '' };
      const first = responses.find((r) => r.ErrorCode !== undefined);
      return {
        failed: failed.length > 0 ? failed : pending,
        retryable: true,
        throttled: responses.some((r) => THROTTLING.has(r.ErrorCode ?? '')),
        reason: `${output.FailedPutCount ?? failed.length} entries failed, e.g. ${first?.ErrorCode}: ${first?.ErrorMessage}`,
      };
    } catch (err) {
      const error = err as Error & { $fault?: string };
      const throttled = THROTTLING.has(error.name);
      return {
        failed: pending,
        retryable: throttled || error.$fault !== 'client',
        throttled,
        reason: `${error.name}: ${error.message}`,
      };
    }
  }

  private giveUp(undelivered: number, failure: Failure): Error {
    countUndelivered(undelivered);
    logger.warn('firehose delivery gave up', {
      undelivered,
      attempts: failure.attempts,
      reason: failure.last.reason,
    });
    // The cause names AWS's error for operators (the replay command prints it); the doors never echo it.
    const options = { retryAfterSeconds: 1, cause: new Error(failure.last.reason) };
    const notStored = `${undelivered} event(s) were not stored: retry the request`;
    return failure.last.throttled
      ? new TooManyRequestsError(`The event store is throttling; ${notStored}`, options)
      : new ServiceUnavailableError(`The event store is unavailable; ${notStored}`, options);
  }
}
