// What the popup shows below its first answer, loaded on demand right after the first paint: the way
// out (fallbacks, contacts, the away message), "Why?", reports from others and "Report a problem" on
// each row, the permission prompt, recent outages and the badge legend. The first paint (app.tsx)
// needs none of it, so the popup answers "is it me or them?" before this is even read.

import { useEffect, useState } from 'preact/hooks';
import { awayMessage } from '../core/away-message';
import { snapshotBadge } from '../core/badge';
import type { Contact } from '../core/contacts';
import { groupsToOpen, rankFallbacks } from '../core/fallbacks';
import { plural, type Translate } from '../core/format';
import { countryName } from '../core/format-more';
import { problemFocus } from '../core/problem-focus';
import { countryFromLocales } from '../core/report';
import { scopeSentence } from '../core/scope-text';
import { type CatalogId, isCatalogId, type ServiceId, serviceName } from '../core/services';
import type { Snapshot } from '../core/snapshot';
import { describeReason } from '../core/translate';
import type { ServiceState } from '../core/types';
import type { ServiceFeed } from '../shared/feed';
import type { Connector } from '../ui/connector';
import { HostAccessPrompt } from '../ui/host-access-prompt';
import { useHostAccess } from '../ui/use-host-access';
import { AwayMessage } from './away-message';
import { BadgeExplainer } from './badge-explainer';
import { CrowdPanel } from './crowd-panel';
import extrasStyles from './extras.css?url';
import { BackupGroups, ContactSuggestions, Fallbacks } from './fallbacks';
import { HistoryStrip } from './history-strip';
import { MuteMenu } from './mute-menu';
import { RecentOutages } from './outages';
import { ReportButton } from './report-button';

/**
 * The extras' stylesheet, linked by this module itself: the popup's first load then carries no code
 * for loading a dynamic chunk's CSS. Resolves once it applies, so nothing shows unstyled.
 */
export const stylesReady: Promise<void> = new Promise((resolve) => {
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = extrasStyles;
  link.onload = link.onerror = () => resolve();
  document.head.append(link);
});

interface PageProps {
  snapshot: Snapshot;
  connector: Connector;
  now: number;
}

/**
 * Where to turn when the main app is down: what the crowd says fails (calls or messages), the
 * channels ranked for it, the contacts' backup groups, the contacts reachable on those channels.
 */
function WayOut({ snapshot, connector }: PageProps) {
  const { t, locale } = connector;
  const [contacts, setContacts] = useState<readonly Contact[]>([]);
  const [dropped, setDropped] = useState(0);
  useEffect(() => {
    connector.loadContacts().then(
      (r) => {
        setContacts(r.contacts);
        setDropped(r.dropped);
      },
      () => setDropped(1),
    );
  }, [connector]);
  const { settings, state } = snapshot;
  // The user's own apps have no reports in the feed.
  const problems = isCatalogId(settings.primary)
    ? snapshot.crowd?.feed?.services[settings.primary]?.problems
    : undefined;
  const focus = problemFocus(problems, snapshot.thresholds);
  const choices = rankFallbacks(settings.primary, settings.fallbacks, state, focus);
  const primary = state.services[settings.primary];
  // Down in one country while it works elsewhere: going through another country may get through.
  const vpn =
    primary?.scope?.kind === 'country' && (primary.status === 'down' || primary.status === 'degraded')
      ? t('wayOutVpn', [
          serviceName(settings.primary, settings.customApps),
          countryName(primary.scope.country ?? '', locale),
        ])
      : null;
  return (
    <>
      {focus && choices.length > 0 && (
        <p class="hint problem-focus" data-problem-focus={focus}>
          {t(focus === 'calls' ? 'problemFocusCalls' : 'problemFocusMessages')}
        </p>
      )}
      <Fallbacks choices={choices} t={t} apps={settings.customApps} />
      <BackupGroups groups={groupsToOpen(settings.primary, contacts, state)} t={t} />
      {vpn && (
        <p class="hint way-out-vpn" data-way-out="vpn">
          {vpn}
        </p>
      )}
      {choices.length > 0 && (
        <ContactSuggestions contacts={contacts} choices={choices} t={t} apps={settings.customApps} />
      )}
      {dropped > 0 && <p class="hint">{plural(t, locale, 'contactsDropped', dropped)}</p>}
    </>
  );
}

/** Where the main app fails for others, under the headline: "Down for others too: 37 of 41…". */
function HeadScope({ snapshot, connector }: PageProps) {
  const { primary } = snapshot.settings;
  return (
    <ScopeLine
      id={primary}
      state={snapshot.state.services[primary]}
      snapshot={snapshot}
      t={connector.t}
      locale={connector.locale}
    />
  );
}

function ScopeLine(props: {
  id: ServiceId;
  state: ServiceState | undefined;
  snapshot: Snapshot;
  t: Translate;
  locale: string;
}) {
  const { id, state, snapshot } = props;
  // The feed holds catalog ids only: a user's own app finds nothing there.
  const probes = snapshot.crowd?.feed?.services[id as CatalogId]?.probes;
  const text = scopeSentence(id, state, probes, props.t, props.locale, snapshot.settings.customApps);
  if (!text) return null;
  return (
    <p class="hint scope-line" data-scope-line={state?.scope?.kind}>
      {text}
    </p>
  );
}

/** Under the rows: the permission prompt, the away message, outages and the badge legend. */
function Below({ snapshot, connector, now }: PageProps) {
  const { t, locale } = connector;
  const access = useHostAccess(connector);
  const { settings, state } = snapshot;
  const hasWayOut = rankFallbacks(settings.primary, settings.fallbacks, state).length > 0;
  return (
    <>
      {access?.state === 'missing' && (
        <HostAccessPrompt access={access} connector={connector} t={t} locale={locale} />
      )}
      {hasWayOut && (
        <AwayMessage
          text={awayMessage(
            settings.primary,
            settings.fallbacks,
            settings.handles,
            t,
            locale,
            settings.customApps,
          )}
          t={t}
          copy={connector.copy}
        />
      )}
      <RecentOutages outages={snapshot.outages} t={t} locale={locale} now={now} apps={settings.customApps} />
      <BadgeExplainer
        kind={snapshotBadge(snapshot)}
        t={t}
        openLegend={() => connector.openWelcome('badges')}
      />
    </>
  );
}

/** The keys that open the popup, as the browser has them now (the user may change or remove them). */
function Shortcut({ connector }: { connector: Connector }) {
  const [shortcut, setShortcut] = useState<string | null>(null);
  useEffect(() => {
    connector.shortcut().then(setShortcut, () => setShortcut(null));
  }, [connector]);
  if (!shortcut) return null;
  return (
    <p class="shortcut" data-shortcut={shortcut}>
      {connector.t('shortcutLine', [shortcut])}
    </p>
  );
}

const QUIET_FEED: ServiceFeed = {
  level: 'normal',
  recent: 0,
  baseline: 0,
  series: [],
  problems: {},
  countries: {},
};

/** The rest of one row: why, what others report, and reporting it yourself. */
function RowExtras(props: {
  id: ServiceId;
  state: ServiceState | undefined;
  snapshot: Snapshot;
  connector: Connector;
}) {
  const { id, state, snapshot, connector } = props;
  const { t, locale } = connector;
  const crowd = snapshot.crowd;
  return (
    <>
      {/* The main app's is under the headline. */}
      {id !== snapshot.settings.primary && (
        <ScopeLine id={id} state={state} snapshot={snapshot} t={t} locale={locale} />
      )}
      {state && state.reasons.length > 0 && <Why state={state} t={t} locale={locale} />}
      {crowd && isCatalogId(id) && (
        <CrowdPanel
          service={id}
          // A service absent from a readable feed has no reports: the usual level, zero.
          data={crowd.feed ? (crowd.feed.services[id as CatalogId] ?? QUIET_FEED) : null}
          problem={crowd.problem}
          country={snapshot.settings.shareCountry ? countryFromLocales(navigator.languages ?? []) : null}
          t={t}
          locale={locale}
        />
      )}
      <MuteMenu
        service={id}
        mute={snapshot.muted.includes(id) ? snapshot.mutes[id] : undefined}
        t={t}
        locale={locale}
        onMute={(service, kind) => void connector.mute(service, kind).catch(() => undefined)}
      />
      {/* The user's own apps stay on this device: the feed has no reports of them. */}
      {isCatalogId(id) && <ReportButton service={id} t={t} locale={locale} report={connector.report} />}
    </>
  );
}

function Why({ state, t, locale }: { state: ServiceState; t: Translate; locale: string }) {
  return (
    <details class="why">
      <summary>{t('why')}</summary>
      <ul>
        {state.reasons.map((r) => (
          <li key={`${r.code}-${(r.args ?? []).join('-')}`}>{describeReason(r, t, locale)}</li>
        ))}
      </ul>
    </details>
  );
}

export const popupExtras = { WayOut, HeadScope, Below, RowExtras, Shortcut, HistoryStrip };
export type PopupExtras = typeof popupExtras;
