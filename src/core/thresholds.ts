// Every threshold the monitor uses, as data with documented defaults (README "Thresholds").
// Numbers borrowed from monitors with a track record: Gatus (failure 3 / success 2), updown.io
// (2 extra quick checks confirm a failure), Icinga (flapping above 30 % state changes, clear below 25 %).

export interface Thresholds {
  /** Per-request timeout. A HEAD to a healthy service answers in well under a second. */
  readonly timeoutMs: number;
  /** A reachable answer slower than this counts as slow. */
  readonly slowMs: number;
  /** Consecutive slow checks before a service is called degraded (one slow answer is just Wi-Fi). */
  readonly slowChecks: number;
  /** Failed attempts in a row, within one check, that confirm a service is down. */
  readonly failureAttempts: number;
  /** Successful attempts in a row, within one check, that confirm a down service is back. */
  readonly successAttempts: number;
  /** Pause between confirmation attempts, so one lost packet cannot fail all of them. */
  readonly retryDelayMs: number;
  /** Checks remembered for flap detection. */
  readonly flapWindow: number;
  /** Share of state changes in the window that makes a service unstable… */
  readonly flapEnter: number;
  /** …and the share it must fall below to be stable again (hysteresis). */
  readonly flapLeave: number;
  /**
   * While a service is unstable its status still shows at once, but a notification waits until the
   * new state has held this many checks in a row (outside flapping two checks are enough).
   */
  readonly flapSettleChecks: number;
  /** Delay of the next check when something looks suspect (the alarm API's minimum). */
  readonly suspectRecheckSeconds: number;
  /** Results older than this many check intervals are stale. */
  readonly staleIntervals: number;
  /**
   * "Only your network" (src/core/scope.ts): a failure here is this network's own when at least this
   * many other networks reach the service (the feed's `probes.up`)…
   */
  readonly scopeMinUp: number;
  /** …and fewer than this many networks fail to reach it… */
  readonly scopeFewDown: number;
  /** …or the networks that fail are less than this share of all that check it. */
  readonly scopeMaxDownShare: number;
  /**
   * "Most reports are about calls" (src/core/problem-focus.ts): the crowd's reports for the failing
   * app over the last hour name one function (calls, or messages) at least this share of the time…
   */
  readonly focusShare: number;
  /** …out of at least this many reports: fewer are a handful of people, not a pattern. */
  readonly focusMinReports: number;
  /**
   * One alert per outage (src/core/notify-group.ts): an app confirmed down within this many ms of the
   * first "down" of an outage still going on joins that outage's notice, which is updated in place.
   */
  readonly groupJoinMs: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  timeoutMs: 4000,
  slowMs: 2500,
  slowChecks: 2,
  failureAttempts: 5,
  successAttempts: 2,
  retryDelayMs: 1000,
  flapWindow: 10,
  flapEnter: 0.3,
  flapLeave: 0.25,
  // A steady flap that raises the flag (3 changes in 10 checks) has runs of at most 3 checks, and
  // a failed attempt on the recovery check between two down spells joins them into 4 or 5. In 20
  // simulated months (bench/notifications.ts) 5 in a row gave no down/back pair inside a flapping
  // hour, 3 or 4 did. About 2 min at the 30 s re-checks of a suspect service.
  flapSettleChecks: 5,
  suspectRecheckSeconds: 30,
  staleIntervals: 2,
  // The feed counts networks (/24, /48), not browsers, so three that reach the app are three places,
  // not one office's three laptops; the user's own network and one more failing (two downs) are
  // still "you". With many networks, a few failing are background noise (a broken router here and
  // there); once a fifth of them fail it is a partial outage that this network shares, not its own.
  scopeMinUp: 3,
  scopeFewDown: 3,
  scopeMaxDownShare: 0.2,
  // Two reports in three about one function, out of twenty or more. Were the reports split evenly
  // between calls and messages, 14 or more of 20 would name one of them by chance 5.8 % of the time
  // (binomial, p = ½), and less the more reports there are; an outage of one function (Downdetector's
  // splits in the Meta and WhatsApp outages) is far more lopsided than that.
  focusShare: 2 / 3,
  focusMinReports: 20,
  // Apps of one outage rarely turn down in the very same check: a failed attempt, the 30 s re-check
  // and the two checks that confirm a change spread them over a minute or two, and a cloud outage
  // spreads over several minutes (Meta 2021: all three apps within minutes; AWS us-east-1, Dec 2021:
  // services fell over about ten). An app that fails later than this is news of its own.
  groupJoinMs: 10 * 60_000,
};
