import { describe, expect, it } from 'vitest';
import { VirtualTime } from '../../bench/virtual-time';

describe('VirtualTime', () => {
  it('fires the timers of one instant together; a 0 ms timer set by any of them waits for the next turn', async () => {
    const vt = new VirtualTime();
    const log: string[] = [];
    // Each timer's own promise work shows where the event-loop turn ends.
    const timer = (name: string, then?: () => void) => () => {
      log.push(name);
      void Promise.resolve().then(() => log.push(`${name} settled`));
      then?.();
    };
    vt.setTimer(
      timer('first', () => vt.setTimer(timer('set by first'), 0)),
      10,
    );
    vt.setTimer(
      timer('second', () => vt.setTimer(timer('set by second'), 0)),
      10,
    );
    await vt.run(vt.sleep(20));
    expect(log).toEqual([
      'first',
      'second',
      'first settled',
      'second settled',
      'set by first',
      'set by second',
      'set by first settled',
      'set by second settled',
    ]);
  });
});
