import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { plural, type Translate } from '../core/format';
import { headline } from '../core/headline';
import { SERVICE_NAMES } from '../core/services';
import type { Connector } from '../ui/connector';
import { messageOf, useSnapshot, useTick } from '../ui/use-snapshot';
import type { PopupExtras } from './extras';
import { ServiceRow } from './service-row';

/** The rest of the popup: given (tests), or loaded once the first answer is painted (the browser). */
export type ExtrasSource = PopupExtras | (() => Promise<PopupExtras>);

function useExtras(source: ExtrasSource): PopupExtras | null {
  const [extras, setExtras] = useState<PopupExtras | null>(typeof source === 'function' ? null : source);
  useEffect(() => {
    if (typeof source === 'function') source().then(setExtras, () => undefined);
  }, [source]);
  return extras;
}

/**
 * The popup: a headline that answers "is it me or them?" and a row per app, painted from one storage
 * read; the way out and the details come with the extras a moment later.
 */
export function PopupApp({ connector, extras: source }: { connector: Connector; extras: ExtrasSource }) {
  const { t, locale } = connector;
  const { snapshot, setSnapshot, error, setError } = useSnapshot(connector);
  const extras = useExtras(source);
  const [checking, setChecking] = useState(false);
  const tick = useTick(5000);

  if (!snapshot) {
    return (
      <main class="popup" data-connectivity="online" aria-busy="true">
        {error ? <p class="error">{t('errorMessage', [error])}</p> : <p class="hint">{t('checking')}</p>}
      </main>
    );
  }

  const { state, settings } = snapshot;
  // The snapshot's time, moved on by the time this page has been open.
  const now = snapshot.now + Math.max(0, tick - openedAt);
  const busy = checking || snapshot.checking;
  const head = headline(state, settings.primary, settings.watched, snapshot.stale, t, locale);
  const primaryState = state.services[settings.primary];
  const itsThem =
    state.connectivity === 'online' &&
    primaryState?.status === 'down' &&
    state.connectivityReasons.some((r) => r.code === 'controlsOk');
  const page = { snapshot, connector, now };

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

  const rowExtras = (id: (typeof settings.watched)[number]): ComponentChildren =>
    extras && (
      <extras.RowExtras id={id} state={state.services[id]} snapshot={snapshot} connector={connector} />
    );

  return (
    <main class="popup" data-connectivity={state.connectivity} data-checking={busy ? '' : undefined}>
      <header class={`headline tone-${head.tone}`}>
        {/* A live region: screen readers hear the verdict change without moving focus. */}
        <h1 aria-live="polite">{head.text}</h1>
        {state.connectivity === 'offline' && <p class="hint">{t('hintOffline')}</p>}
        {state.connectivity === 'captive' && <p class="hint">{t('hintCaptive')}</p>}
        {itsThem && <p class="hint">{t('hintItsThem', [SERVICE_NAMES[settings.primary]])}</p>}
      </header>

      {extras && <extras.WayOut {...page} />}

      <ul class={`rows${snapshot.stale ? ' stale' : ''}`}>
        {settings.watched.map((id) => (
          <ServiceRow
            key={id}
            id={id}
            state={state.services[id]}
            primary={id === settings.primary}
            history={snapshot.history[id]}
            crowdLevel={
              snapshot.crowd
                ? (snapshot.crowd.feed?.services[id]?.level ?? (snapshot.crowd.feed ? 'normal' : undefined))
                : undefined
            }
            now={now}
            t={t}
            locale={locale}
          >
            {rowExtras(id)}
          </ServiceRow>
        ))}
      </ul>

      {extras && <extras.Below {...page} />}
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
        {extras && <extras.Shortcut connector={connector} />}
      </footer>
    </main>
  );
}

const openedAt = Date.now();

function ago(ms: number, t: Translate, locale: string): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 5) return t('agoJustNow');
  if (s < 60) return plural(t, locale, 'agoSeconds', s);
  if (s < 3600) return plural(t, locale, 'agoMinutes', Math.floor(s / 60));
  return plural(t, locale, 'agoHours', Math.floor(s / 3600));
}
