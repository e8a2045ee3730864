import type { SetTimer } from '../src/sources/http';

/**
 * A discrete-event clock: timers fire in time order, and time jumps straight to the next one, so a
 * simulated week of checks runs in seconds while the real check code (retries, timeouts, parallel
 * probes) runs unchanged.
 */
export class VirtualTime {
  now = 0;
  private timers: { at: number; seq: number; fire: () => void }[] = [];
  private seq = 0;

  readonly setTimer: SetTimer = (callback, ms) => {
    const timer = { at: this.now + Math.max(0, ms), seq: this.seq++, fire: callback };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
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
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (!next) throw new Error('virtual time: nothing left to run, but the work is not done');
      this.now = Math.max(this.now, next.at);
      next.fire();
    }
  }

  /** Jumps ahead (between checks), dropping nothing. */
  advanceTo(at: number): void {
    this.now = Math.max(this.now, at);
  }
}
