import type { Problem } from '../shared/feed';
import type { Thresholds } from './thresholds';

/** The function an outage is mostly about, when the crowd's reports say so clearly. */
export type ProblemFocus = 'calls' | 'messages';

/**
 * Whether the reports for the failing app (the feed's `problems`, the last hour) are mostly about
 * calls or mostly about messages: one of them at least `focusShare` of all reports (login, connection
 * and the rest count in the total), out of at least `focusMinReports`. Null otherwise: too few
 * reports, or no function stands out, so nothing is claimed.
 */
export function problemFocus(
  problems: Readonly<Partial<Record<Problem, number>>> | undefined,
  thresholds: Pick<Thresholds, 'focusShare' | 'focusMinReports'>,
): ProblemFocus | null {
  if (!problems) return null;
  const total = Object.values(problems).reduce((sum: number, n) => sum + (n ?? 0), 0);
  if (total < thresholds.focusMinReports) return null;
  for (const focus of ['calls', 'messages'] as const) {
    if ((problems[focus] ?? 0) >= thresholds.focusShare * total) return focus;
  }
  return null;
}
