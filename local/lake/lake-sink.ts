import { utcDay } from '../../lambdas/core/calendar-day';
import { BadRequestError, ServiceUnavailableError } from '../../lambdas/core/errors';
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
}

interface PendingPut {
  /** Its log lines, UTF-8, by app. */
  readonly lines: ReadonlyMap<string, Uint8Array>;
  readonly partitions: ReadonlyMap<string, PartitionKey>;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
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
 */
export class LakeSink implements EventSink {
  private queue: PendingPut[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private closed = false;

  constructor(private readonly options: LakeSinkOptions) {}

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
      this.queue.push({ lines, partitions, resolve, reject });
      this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /**
   * Closes the log's open segment; puts queued after it go to the next one. Returns the number
   * below which every segment is closed; their events are all handed to the pending events.
   */
  rotate(): number {
    return this.options.log.rotate();
  }

  /** Writes what is queued and refuses new puts. */
  close(): void {
    this.closed = true;
    this.flush();
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
