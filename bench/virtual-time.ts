import type { SetTimer } from '../src/sources/http';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => void;
  cancelled: boolean;
}

const earlier = (a: Timer, b: Timer) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/**
 * A discrete-event clock: timers fire in time order, and time jumps straight to the next one, so a
 * simulated week of checks runs in seconds while the real check code (retries, timeouts, parallel
 * probes) runs unchanged. Timers due at the same instant fire together, in the order they were set,
 * and then the promises they settled run: a crowd of browsers on one clock (bench/crowd.ts) pays one
 * event-loop turn per instant, not one per timer. Timers sit in a binary heap (a crowd keeps thousands).
 */
export class VirtualTime {
  now = 0;
  private heap: Timer[] = [];
  private seq = 0;

  readonly setTimer: SetTimer = (callback, ms) => {
    const timer: Timer = {
      at: this.now + Math.max(0, ms),
      seq: this.seq++,
      fire: callback,
      cancelled: false,
    };
    this.push(timer);
    return () => {
      timer.cancelled = true;
    };
  };

  readonly sleep = (ms: number) => new Promise<void>((resolve) => this.setTimer(resolve, ms));

  readonly clock = () => this.now;

  /** Runs until `work` settles, firing timers in order. */
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const done = work.finally(() => {
      settled = true;
    });
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (settled) return done;
      const first = this.pop();
      if (!first) throw new Error('virtual time: nothing left to run, but the work is not done');
      this.now = Math.max(this.now, first.at);
      // The rest of this instant: timers set before it began. Read before the first one fires, so a
      // timer set by any of them (the first included) waits for the next turn.
      const seqEnd = this.seq;
      first.fire();
      for (let next = this.peek(); next && next.at === first.at && next.seq < seqEnd; next = this.peek()) {
        this.pop();
        next.fire();
      }
    }
  }

  /** Jumps ahead (between checks), dropping nothing. */
  advanceTo(at: number): void {
    this.now = Math.max(this.now, at);
  }

  /** The next live timer, cancelled ones dropped on the way. */
  private peek(): Timer | undefined {
    while (this.heap[0]?.cancelled) this.removeTop();
    return this.heap[0];
  }

  private pop(): Timer | undefined {
    const top = this.peek();
    if (top) this.removeTop();
    return top;
  }

  private push(timer: Timer): void {
    const heap = this.heap;
    let i = heap.push(timer) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(timer, heap[parent] as Timer)) break;
      heap[i] = heap[parent] as Timer;
      i = parent;
    }
    heap[i] = timer;
  }

  private removeTop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (!last || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && earlier(heap[right] as Timer, heap[left] as Timer) ? right : left;
      if (!earlier(heap[child] as Timer, last)) break;
      heap[i] = heap[child] as Timer;
      i = child;
    }
    heap[i] = last;
  }
}
