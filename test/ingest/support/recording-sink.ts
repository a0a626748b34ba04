import type { EventRecord } from '../../../lambdas/core/event-record';
import type { EventSink } from '../../../lambdas/core/event-sink';

/** An in-memory sink that keeps what it was given, or refuses with the given error. */
export class RecordingSink implements EventSink {
  readonly batches: EventRecord[][] = [];
  constructor(private readonly refusal?: Error) {}

  get records(): EventRecord[] {
    return this.batches.flat();
  }

  async put(records: readonly EventRecord[]): Promise<void> {
    if (this.refusal) throw this.refusal;
    this.batches.push([...records]);
  }
}
