import type { ServiceProbes } from '../shared/feed';
import type { OfficialReport } from './official/types';
import type { CrowdScope } from './scope';
import type { DegradedCause, Reason, Status } from './types';

/** The crowd feed's signal for one service (filled by the feed stage). */
export interface CrowdSignal {
  readonly level: 'normal' | 'elevated' | 'outage' | 'unknown';
  readonly recent: number;
  readonly baseline: number;
  readonly problem: string | null;
  /** What the crowd of browsers sees of it (networks down and up), when the feed says. */
  readonly probes: ServiceProbes | null;
}

export type Confidence = 'high' | 'medium' | 'low';

export interface FusedVerdict {
  readonly status: Status;
  readonly confidence: Confidence;
  /** Scheduled maintenance is going on: shown as maintenance, never as an outage by itself. */
  readonly maintenance: boolean;
  /** Why the verdict is degraded (null for any other status), so pages word it without guessing. */
  readonly cause: DegradedCause | null;
  /** Reasons from the official and crowd signals, to add after the probe's own reasons. */
  readonly reasons: readonly Reason[];
}

type Opinion = 'good' | 'warn' | 'bad';
type Source = 'probes' | 'official' | 'crowd' | 'browsers';

/**
 * One verdict from every signal, as a pure function:
 * - the user's offline state overrides everything (the probe verdict is then unknown, and so is this);
 * - confirmed probe failures or an official major outage make down;
 * - a single weak signal (official minor incident, crowd outage spike, slow probes) makes degraded;
 *   flapping is not a signal here: the probes say up or down, and the flag stays on the state;
 * - scheduled maintenance is maintenance, not an outage;
 * - a source that disagrees with the verdict lowers the confidence and says so;
 * - the crowd of browsers (`scope`): when most networks can't reach it everywhere, that is a weak
 *   signal like a report spike (degraded while it answers here, down with the probes); when the
 *   probes fail here while other networks reach it, the failure is this network's ('local'), a
 *   degraded verdict, never down, unless the official status page says there is a major outage.
 * A degraded verdict names its cause: the probes' own (slow, or local) when they are degraded;
 * otherwise the probes answer, and the crowd ("possible outage": a report spike, worded with its
 * numbers, or other networks that can't reach it) or the official minor incident is the cause. The
 * crowd comes first: when both speak, the popup can then say how many people report problems, and
 * the official notice stays among the reasons.
 */
export function fuseSignals(
  probe: Status,
  official: OfficialReport | undefined,
  crowd: CrowdSignal | undefined,
  probeCause: 'slow' | null = null,
  scope: CrowdScope | null = null,
): FusedVerdict {
  const reasons: Reason[] = [];
  const opinions: { source: Source; opinion: Opinion }[] = [];
  // Failing here while others reach it: this network's trouble, a warning rather than an outage.
  const local = probe === 'down' && scope?.kind === 'network';
  if (probe === 'up') opinions.push({ source: 'probes', opinion: 'good' });
  if (probe === 'degraded' || local) opinions.push({ source: 'probes', opinion: 'warn' });
  if (probe === 'down' && !local) opinions.push({ source: 'probes', opinion: 'bad' });
  if (scope?.kind === 'everyone') opinions.push({ source: 'browsers', opinion: 'warn' });
  if (local) opinions.push({ source: 'browsers', opinion: 'good' });

  let maintenance = false;
  if (official) {
    const title = official.title;
    switch (official.state) {
      case 'major':
        opinions.push({ source: 'official', opinion: 'bad' });
        reasons.push({ code: 'officialMajor' });
        if (title) reasons.push({ code: 'officialIncident', args: [title] });
        break;
      case 'minor':
        opinions.push({ source: 'official', opinion: 'warn' });
        reasons.push({ code: 'officialMinor' });
        if (title) reasons.push({ code: 'officialIncident', args: [title] });
        break;
      case 'maintenance':
        maintenance = true;
        reasons.push({ code: 'officialMaintenance' });
        if (title) reasons.push({ code: 'officialIncident', args: [title] });
        break;
      case 'operational':
        opinions.push({ source: 'official', opinion: 'good' });
        reasons.push({ code: 'officialOperational' });
        break;
      case 'unknown':
        reasons.push({ code: 'officialUnknown', args: [official.problem ?? ''] });
        break;
    }
  }
  if (crowd) {
    if (crowd.level === 'outage') {
      opinions.push({ source: 'crowd', opinion: 'warn' });
      reasons.push({ code: 'crowdOutage', args: [crowd.recent, Math.round(crowd.baseline)] });
    } else if (crowd.level === 'elevated') {
      reasons.push({ code: 'crowdElevated', args: [crowd.recent, Math.round(crowd.baseline)] });
    } else if (crowd.level === 'normal') {
      opinions.push({ source: 'crowd', opinion: 'good' });
    } else {
      reasons.push({ code: 'crowdUnknown', args: [crowd.problem ?? ''] });
    }
  }

  if (probe === 'unknown') {
    // Offline, or not checked yet: nothing else can say the user's own connection works.
    return { status: 'unknown', confidence: 'low', maintenance, cause: null, reasons };
  }
  let status: Status;
  if (opinions.some((o) => o.opinion === 'bad')) status = 'down';
  else if (opinions.some((o) => o.opinion === 'warn')) status = 'degraded';
  else status = 'up';

  const dissent = opinions.filter(
    (o) =>
      // Others finding it fine is what makes a failure here local: agreement, not dissent.
      (o.opinion === 'good' && status !== 'up' && !(local && status === 'degraded')) ||
      (o.opinion === 'bad' && status !== 'down') ||
      (o.opinion === 'warn' && status === 'up'),
  );
  for (const d of dissent) reasons.push({ code: 'disagree', args: [d.source] });
  const confidence: Confidence = dissent.length > 0 ? 'low' : opinions.length >= 2 ? 'high' : 'medium';
  const cause = degradedCause(status, opinions, local ? 'local' : probeCause);
  return { status, confidence, maintenance, cause, reasons };
}

function degradedCause(
  status: Status,
  opinions: readonly { source: Source; opinion: Opinion }[],
  probeCause: 'slow' | 'local' | null,
): DegradedCause | null {
  if (status !== 'degraded') return null;
  const warns = (source: Source) => opinions.some((o) => o.source === source && o.opinion === 'warn');
  // Degraded probes are slow, or fail only here: the two ways the probes degrade a service.
  if (warns('probes')) return probeCause ?? 'slow';
  if (warns('crowd') || warns('browsers')) return 'crowd';
  return 'official';
}
