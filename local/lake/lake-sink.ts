import { utcDay } from '../../lambdas/core/calendar-day';
import { BadRequestError, ServiceUnavailableError, TooManyRequestsError } from '../../lambdas/core/errors';
import type { EventRecord } from '../../lambdas/core/event-record';
import type { EventSink } from '../../lambdas/core/event-sink';
import { isValidAppId } from '../../lambdas/core/identifiers';
import type { LakeLog } from './lake-log';
import { lakeLine } from './log-lines';
import { type PartitionKey, type PendingEvents, partitionKey } from './pending-events';

export interface LakeSinkOptions {
  readonly log: LakeLog;
  /** Where committed writes go, to be read by queries until they are converted. */
  readonly pending: PendingEvents;
  /** The next commit sequence number (see `LakeSnapshot.version`). */
  readonly nextSeq: () => number;
  /** Told the open log segment's size after each committed write, e.g. to schedule conversion. */
  readonly onCommit?: (segmentBytes: number) => void;
  /**
   * Puts wait while the log holds this many bytes not yet converted to Parquet
   * ({@link PendingEvents.bytes}). @default 64 MiB
   */
  readonly maxBacklogBytes?: number;
  /**
   * A put that waited this long for the backlog is refused, nothing of it stored (ms): a
   * client's request should not wait for ever. @default no limit (an import waits as long as it takes)
   */
  readonly backlogWaitMs?: number;
  /** Told when puts start to wait for the backlog, e.g. to convert at once. */
  readonly onBacklog?: () => void;
}

/** {@link LakeSinkOptions.maxBacklogBytes}'s default. */
export const MAX_BACKLOG_BYTES = 64 * 1024 * 1024;

interface PendingPut {
  /** Its log lines, UTF-8, by app. */
  readonly lines: ReadonlyMap<string, Uint8Array>;
  readonly partitions: ReadonlyMap<string, PartitionKey>;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

/** A put waiting for the backlog, refused when its timer fires first. */
interface HeldPut {
  readonly put: PendingPut;
  readonly timer: NodeJS.Timeout | undefined;
}

/**
 * The local lake as an {@link EventSink}: `put` appends the records to the lake's log and
 * resolves once they are on disk, so the door answers 202 only then. Puts are group-committed:
 * a put is queued, and the queue is written in one synchronous append (one sync) right after
 * the event loop has handled the input that was ready (`setImmediate`), so requests that arrived
 * together, or while the previous write blocked the thread, share one sync. A committed write is
 * handed to the pending events, which the very next query reads. If a write fails, its puts
 * reject with {@link ServiceUnavailableError} (the door answers 500 with `Retry-After`,
 * docs/CONTRACT.md §2, and the client retries).
 *
 * The log's backlog (bytes committed and not yet converted to Parquet) is bounded: while it is
 * at `maxBacklogBytes`, puts wait, in order, until a conversion brings it below, so a load the
 * machine cannot convert as fast as it arrives is slowed to the rate it can (its memory and the
 * log stay bounded) instead of growing the log without end. A put that waits `backlogWaitMs`
 * (the local server: 10 s) is refused with {@link TooManyRequestsError} (429 with `Retry-After`:
 * throttling, which the SDKs and Amplify retry), nothing of it stored.
 */
export class LakeSink implements EventSink {
  private queue: PendingPut[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private closed = false;
  private held: HeldPut[] = [];
  private readonly maxBacklogBytes: number;

  constructor(private readonly options: LakeSinkOptions) {
    this.maxBacklogBytes = options.maxBacklogBytes ?? MAX_BACKLOG_BYTES;
  }

  put(records: readonly EventRecord[]): Promise<void> {
    if (this.closed) return Promise.reject(new ServiceUnavailableError('The local server is shutting down'));
    if (records.length === 0) return Promise.resolve();
    const partitions = new Map<string, PartitionKey>();
    const texts = new Map<string, string>();
    for (const record of records) {
      const appId = record.application.app_id;
      if (!isValidAppId(appId)) {
        return Promise.reject(
          new BadRequestError(`The app id ${JSON.stringify(appId)} cannot name a lake folder`),
        );
      }
      const dt = utcDay(record.event_timestamp);
      partitions.set(partitionKey(appId, dt), { appId, dt });
      texts.set(appId, (texts.get(appId) ?? '') + lakeLine(record, dt));
    }
    const lines = new Map<string, Uint8Array>();
    for (const [appId, text] of texts) lines.set(appId, Buffer.from(text, 'utf8'));
    return new Promise((resolve, reject) => {
      const put = { lines, partitions, resolve, reject };
      if (this.held.length > 0 || this.options.pending.bytes >= this.maxBacklogBytes) this.hold(put);
      else this.enqueue(put);
    });
  }

  /**
   * Closes the log's open segment; puts queued after it go to the next one. Returns the number
   * below which every segment is closed; their events are all handed to the pending events.
   */
  rotate(): number {
    return this.options.log.rotate();
  }

  /** Writes what is queued or waiting for the backlog, and refuses new puts. */
  close(): void {
    this.closed = true;
    this.release();
    this.flush();
  }

  private enqueue(put: PendingPut): void {
    this.queue.push(put);
    this.scheduled ??= setImmediate(() => this.flush());
  }

  /** Makes a put wait for the backlog to shrink; the first one to wait also asks for a conversion. */
  private hold(put: PendingPut): void {
    const waitMs = this.options.backlogWaitMs ?? Number.POSITIVE_INFINITY;
    const timer = Number.isFinite(waitMs) ? this.refuseAfter(put, waitMs) : undefined;
    this.held.push({ put, timer });
    if (this.held.length > 1) return;
    void this.options.pending.whenBelow(this.maxBacklogBytes).then(() => this.release());
    this.options.onBacklog?.();
  }

  /** Refuses a waiting put after `waitMs` unless it was released before. */
  private refuseAfter(put: PendingPut, waitMs: number): NodeJS.Timeout {
    return setTimeout(() => {
      this.held = this.held.filter((h) => h.put !== put);
      const backlog = (this.options.pending.bytes / (1024 * 1024)).toFixed(1);
      put.reject(
        new TooManyRequestsError(
          `The local lake is ${backlog} MiB behind converting its log to Parquet; the events were not stored: retry the request`,
          { retryAfterSeconds: 1 },
        ),
      );
    }, waitMs);
  }

  /** Queues the waiting puts, in the order they came. */
  private release(): void {
    const held = this.held;
    this.held = [];
    for (const { put, timer } of held) {
      clearTimeout(timer);
      this.enqueue(put);
    }
  }

  private flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    const lines = new Map<string, Uint8Array[]>();
    for (const put of batch) {
      for (const [appId, bytes] of put.lines) {
        const list = lines.get(appId);
        if (list) list.push(bytes);
        else lines.set(appId, [bytes]);
      }
    }
    const chunks = [...lines.values()].flat();
    try {
      const segment = this.options.log.append(
        chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks),
      );
      const partitions = new Map(batch.flatMap((p) => [...p.partitions]));
      this.options.pending.add({ segment, seq: this.options.nextSeq(), lines, partitions });
      for (const p of batch) p.resolve();
      this.options.onCommit?.(this.options.log.openBytes);
    } catch (err) {
      const failure = new ServiceUnavailableError(
        `The local lake could not store the events: ${(err as Error).message}`,
        { cause: err, retryAfterSeconds: 1 },
      );
      for (const p of batch) p.reject(failure);
    }
  }
}
