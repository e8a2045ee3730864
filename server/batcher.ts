// Group commit: callers wait on a shared batch that is committed in ONE transaction when it holds
// `maxItems` items or `maxDelayMs` after its first item, whichever comes first. Durability is not
// relaxed (every commit is fsynced); throughput comes from many reports sharing one fsync.

export interface BatcherOptions {
  /** Commit as soon as this many items wait. */
  readonly maxItems: number;
  /** Commit at most this long after the first waiting item. */
  readonly maxDelayMs: number;
  /** Most items in one transaction (a backlog is committed in several). Default 8 × maxItems. */
  readonly maxBatch?: number;
}

interface Waiting<T, R> {
  readonly item: T;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

export class Batcher<T, R> {
  private pending: Waiting<T, R>[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** The first waiting item's maxDelayMs ran out while a commit was in flight: commit right after it. */
  private overdue = false;
  private running: Promise<void> | null = null;
  private draining = false;
  private closed = false;

  constructor(
    private readonly commit: (items: readonly T[]) => Promise<readonly R[]>,
    private readonly options: BatcherOptions,
    private readonly onBatch?: (size: number, ms: number, error?: unknown) => void,
  ) {}

  get waiting(): number {
    return this.pending.length;
  }

  /** Resolves with the item's result once its batch is committed; rejects if that commit failed. */
  submit(item: T): Promise<R> {
    if (this.closed) return Promise.reject(new Error('batcher is closed'));
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Commits everything waiting (and anything submitted meanwhile), then refuses new items. */
  async drain(): Promise<void> {
    this.draining = true;
    this.schedule();
    while (this.running || this.pending.length > 0) {
      if (!this.running) this.schedule();
      await this.running;
    }
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.pending.length === 0) return;
    const due = this.draining || this.overdue || this.pending.length >= this.options.maxItems;
    if (this.running) {
      // One commit at a time, but the first waiting item's delay already runs: an item that arrives
      // during a commit waits at most maxDelayMs (or until that commit ends), not the commit plus it.
      if (!due && !this.timer) this.startTimer();
      return;
    }
    if (due) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.running = this.run();
    } else if (!this.timer) this.startTimer();
  }

  private startTimer(): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.running) this.overdue = true;
      else this.running = this.run();
    }, this.options.maxDelayMs);
  }

  private async run(): Promise<void> {
    this.overdue = false;
    const batch = this.pending.splice(0, this.options.maxBatch ?? this.options.maxItems * 8);
    const started = performance.now();
    try {
      const results = await this.commit(batch.map((w) => w.item));
      if (results.length !== batch.length) throw new Error('commit answered a different number of results');
      this.onBatch?.(batch.length, performance.now() - started);
      batch.forEach((w, i) => {
        w.resolve(results[i] as R);
      });
    } catch (error) {
      this.onBatch?.(batch.length, performance.now() - started, error);
      for (const w of batch) w.reject(error);
    } finally {
      this.running = null;
      this.schedule();
    }
  }
}
