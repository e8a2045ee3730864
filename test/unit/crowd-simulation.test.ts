// The crowd simulation of `npm run bench` (bench/crowd*.ts) at a tiny scale, so CI keeps it working:
// browsers running the real check and posting what they see to the real feed code, on one virtual clock.
import { describe, expect, it } from 'vitest';
import { brokenNetwork, globalOutage } from '../../bench/crowd-scenarios';

const TINY = { browsers: 60, networks: 20 };
const MINUTES = 60;

describe('the simulated crowd of browsers', () => {
  it('reaches "down for everyone" in the feed and in the browsers when WhatsApp fails everywhere', async () => {
    const run = await globalOutage(TINY, 1);
    expect(run.feed).not.toBeNull();
    expect(run.feed as number).toBeLessThan(3 * MINUTES * 1000);
    // Every browser's verdict followed the feed: down, scope everyone.
    expect(run.browsers.every((t) => t !== null)).toBe(true);
    expect(run.wrongDocuments + run.wrongVerdicts).toBe(0);
    // Every browser told the feed of the change.
    expect(run.postsByMinute.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(TINY.browsers);
  }, 20_000);

  it('tells the browsers of one broken network that it is theirs, never that WhatsApp is down', async () => {
    const run = await brokenNetwork(TINY, 2);
    expect(run.checksAfter).toBeGreaterThan(0);
    expect(run.onlyYou).toBe(run.checksAfter);
    expect(run.down).toBe(0);
    expect(run.wrongDocuments + run.wrongVerdicts).toBe(0);
  }, 20_000);
});
