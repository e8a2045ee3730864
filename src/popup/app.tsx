import { useEffect, useState } from 'preact/hooks';
import { CATALOG, type ServiceId } from '../core/catalog';
import type { Contact } from '../core/contacts';
import { rankFallbacks } from '../core/fallbacks';
import { plural, type Translate } from '../core/format';
import { awayMessage, headline } from '../core/headline';
import { countryFromLocales } from '../core/report';
import type { ServiceFeed } from '../shared/feed';
import type { Connector } from '../ui/connector';
import { HostAccessPrompt } from '../ui/host-access-prompt';
import { useHostAccess } from '../ui/use-host-access';
import { messageOf, useSnapshot, useTick } from '../ui/use-snapshot';
import { AwayMessage } from './away-message';
import { BadgeExplainer, currentBadge } from './badge-explainer';
import { ContactSuggestions, Fallbacks } from './fallbacks';
import { RecentOutages } from './outages';
import { ServiceRow } from './service-row';

/** The popup: a headline that answers "is it me or them?", the rows, and the way out. */
export function PopupApp({ connector }: { connector: Connector }) {
  const { t, locale } = connector;
  const { snapshot, setSnapshot, error, setError } = useSnapshot(connector);
  const [contacts, setContacts] = useState<readonly Contact[]>([]);
  const [droppedContacts, setDroppedContacts] = useState(0);
  const [checking, setChecking] = useState(false);
  const [shortcut, setShortcut] = useState<string | null>(null);
  const tick = useTick(5000);
  const access = useHostAccess(connector);

  useEffect(() => {
    connector.loadContacts().then(
      (r) => {
        setContacts(r.contacts);
        setDroppedContacts(r.dropped);
      },
      () => setDroppedContacts(1),
    );
  }, [connector]);

  useEffect(() => {
    connector.shortcut().then(setShortcut, () => setShortcut(null));
  }, [connector]);

  if (!snapshot) {
    return (
      <main class="popup" data-connectivity="online" aria-busy="true">
        {error ? <p class="error">{t('errorMessage', [error])}</p> : <p class="hint">{t('checking')}</p>}
      </main>
    );
  }

  const { state, settings } = snapshot;
  // The background's clock, moved on by the time this page has been open.
  const now = snapshot.now + Math.max(0, tick - openedAt);
  const busy = checking || snapshot.checking;
  const head = headline(state, settings.primary, settings.watched, snapshot.stale, t, locale);
  const choices = rankFallbacks(settings.primary, settings.fallbacks, state);
  const primaryState = state.services[settings.primary];
  const itsThem =
    state.connectivity === 'online' &&
    primaryState?.status === 'down' &&
    state.connectivityReasons.some((r) => r.code === 'controlsOk');

  // A service absent from a readable feed has no reports: the usual level, zero.
  const country = settings.shareCountry ? countryFromLocales(navigator.languages ?? []) : null;
  const crowdFor = (id: ServiceId) =>
    snapshot.crowd
      ? {
          data: snapshot.crowd.feed ? (snapshot.crowd.feed.services[id] ?? QUIET_FEED) : null,
          problem: snapshot.crowd.problem,
          country,
        }
      : null;

  const checkNow = () => {
    setChecking(true);
    setError(null);
    connector
      .checkNow()
      .then(
        () => connector.getState().then(setSnapshot),
        (e: unknown) => setError(messageOf(e)),
      )
      .finally(() => setChecking(false));
  };

  return (
    <main class="popup" data-connectivity={state.connectivity} data-checking={busy ? '' : undefined}>
      <header class={`headline tone-${head.tone}`}>
        {/* A live region: screen readers hear the verdict change without moving focus. */}
        <h1 aria-live="polite">{head.text}</h1>
        {state.connectivity === 'offline' && <p class="hint">{t('hintOffline')}</p>}
        {state.connectivity === 'captive' && <p class="hint">{t('hintCaptive')}</p>}
        {itsThem && <p class="hint">{t('hintItsThem', [CATALOG[settings.primary].name])}</p>}
      </header>

      <Fallbacks choices={choices} t={t} />
      {choices.length > 0 && <ContactSuggestions contacts={contacts} choices={choices} t={t} />}

      <ul class={`rows${snapshot.stale ? ' stale' : ''}`}>
        {settings.watched.map((id) => (
          <ServiceRow
            key={id}
            id={id}
            state={state.services[id]}
            primary={id === settings.primary}
            history={snapshot.history[id]}
            now={now}
            t={t}
            locale={locale}
            crowd={crowdFor(id)}
            report={connector.report}
          />
        ))}
      </ul>
      {access?.state === 'missing' && (
        <HostAccessPrompt access={access} connector={connector} t={t} locale={locale} />
      )}

      {choices.length > 0 && (
        <AwayMessage
          text={awayMessage(settings.primary, settings.fallbacks, settings.handles, t, locale)}
          t={t}
          copy={connector.copy}
        />
      )}
      <RecentOutages outages={snapshot.outages} t={t} locale={locale} now={now} />
      <BadgeExplainer
        kind={currentBadge(snapshot)}
        t={t}
        openLegend={() => connector.openWelcome('badges')}
      />
      {droppedContacts > 0 && <p class="hint">{plural(t, locale, 'contactsDropped', droppedContacts)}</p>}
      {error && (
        <p class="error" role="alert">
          {t('errorMessage', [error])}
        </p>
      )}

      <footer class="footer">
        <button type="button" data-action="check-now" onClick={checkNow} disabled={busy} aria-busy={busy}>
          {busy ? t('checking') : t('checkNow')}
        </button>
        <span class="last-checked">
          {state.checkedAt !== null && t('lastChecked', [ago(now - state.checkedAt, t, locale)])}
          {snapshot.stale && state.checkedAt !== null && (
            <strong class="stale-mark"> · {t('staleMark')}</strong>
          )}
        </span>
        <button type="button" class="link" onClick={() => connector.openOptions()}>
          {t('openSettings')}
        </button>
        {shortcut && (
          <p class="shortcut" data-shortcut={shortcut}>
            {t('shortcutLine', [shortcut])}
          </p>
        )}
      </footer>
    </main>
  );
}

const openedAt = Date.now();

const QUIET_FEED: ServiceFeed = {
  level: 'normal',
  recent: 0,
  baseline: 0,
  series: [],
  problems: {},
  countries: {},
};

function ago(ms: number, t: Translate, locale: string): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 5) return t('agoJustNow');
  if (s < 60) return plural(t, locale, 'agoSeconds', s);
  if (s < 3600) return plural(t, locale, 'agoMinutes', Math.floor(s / 60));
  return plural(t, locale, 'agoHours', Math.floor(s / 3600));
}
