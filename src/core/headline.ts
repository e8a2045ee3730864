import type { CustomApp } from './custom-apps';
import { formatClock, formatList, formatNumber, type Translate } from './format';
import { type ServiceId, serviceName } from './services';
import type { MonitorState, ServiceState } from './types';

export type HeadlineTone = 'ok' | 'warn' | 'bad' | 'neutral';

/**
 * The popup's one sentence: "is it me or them?" and "since when?", for the primary app. Where it
 * fails for others (scope-text.ts) is said under it, once the extras are loaded.
 */
export function headline(
  state: MonitorState,
  primary: ServiceId,
  watched: readonly ServiceId[],
  stale: boolean,
  t: Translate,
  locale: string,
  apps: readonly CustomApp[],
): { text: string; tone: HeadlineTone } {
  const name = serviceName(primary, apps);
  if (state.checkedAt === null) return { text: t('headlineChecking', [name]), tone: 'neutral' };
  if (stale) return { text: t('headlineStale', [formatClock(state.checkedAt, locale)]), tone: 'neutral' };
  if (state.connectivity === 'offline') return { text: t('headlineOffline'), tone: 'neutral' };
  if (state.connectivity === 'captive') return { text: t('headlineCaptive'), tone: 'neutral' };
  const s = state.services[primary];
  const since = s ? formatClock(s.since, locale) : '';
  if (s?.status === 'down') return { text: t('headlineDown', [name, since]), tone: 'bad' };
  if (s?.status === 'degraded') {
    // Failing from here while other networks reach it: the user's network, never "down".
    if (s.cause === 'local') return { text: t('headlineLocal', [name, since]), tone: 'warn' };
    const crowd = s.cause === 'crowd' ? crowdNumbers(s) : null;
    if (crowd) {
      const numbers = [formatNumber(crowd.reports, locale), formatNumber(crowd.usual, locale)];
      return { text: t('headlineCrowdOutage', [name, ...numbers]), tone: 'warn' };
    }
    if (s.cause === 'crowd' && s.scope?.kind === 'everyone') {
      return { text: t('headlineOthersCantReach', [name]), tone: 'warn' };
    }
    return { text: t('headlineDegraded', [name, since]), tone: 'warn' };
  }
  const othersDown = watched.filter((id) => id !== primary && state.services[id]?.status === 'down');
  if (othersDown.length > 0) {
    const names = formatList(
      othersDown.map((id) => serviceName(id, apps)),
      locale,
    );
    return { text: t('headlineOthersDown', [name, names]), tone: 'warn' };
  }
  // It answers now, but keeps going up and down: say both, in the amber tone of the badge.
  if (s?.status === 'up' && s.unstable) return { text: t('headlineUpUnstable', [name]), tone: 'warn' };
  if (s?.status === 'up') return { text: t('headlineUp', [name]), tone: 'ok' };
  return { text: t('headlineUnknown', [name]), tone: 'neutral' };
}

/**
 * The counts behind a crowd-caused verdict: the crowd reason the core recorded with the verdict
 * (reports in the latest 15 minutes, the usual count), so the headline quotes what was judged.
 */
function crowdNumbers(s: ServiceState): { reports: number; usual: number } | null {
  const [reports, usual] = s.reasons.find((r) => r.code === 'crowdOutage')?.args ?? [];
  return typeof reports === 'number' && typeof usual === 'number' ? { reports, usual } : null;
}
