import { Component, type ComponentChildren } from 'preact';
import { plural, type Translate } from '../core/format';
import { headline } from '../core/headline';
import { isCatalogId, serviceName } from '../core/services';
import type { Snapshot } from '../core/snapshot';
import type { Connector, CoreConnector } from '../ui/connector';
import { messageOf } from '../ui/message-of';
import type { PopupExtras } from './extras';
import { ServiceRow } from './service-row';

/** The rest of the popup, with the rest of the connector its parts need. */
export interface LoadedExtras {
  readonly extras: PopupExtras;
  readonly connector: Connector;
}

/**
 * The popup's props: a full connector with the extras at hand (tests), or the core connector with a
 * loader that brings the extras and the rest of the connector once the first answer is painted.
 */
export type PopupProps =
  | { readonly connector: Connector; readonly extras: PopupExtras }
  | { readonly connector: CoreConnector; readonly extras: () => Promise<LoadedExtras> };

interface PopupState {
  readonly snapshot: Snapshot | null;
  readonly error: string | null;
  /** A check this page asked for is running. */
  readonly checking: boolean;
  readonly loaded: LoadedExtras | null;
  /** Moves on every few seconds, so "20 s ago" stays true while the popup is open. */
  readonly tick: number;
}

/**
 * The popup: a headline that answers "is it me or them?" and a row per app, painted from one storage
 * read; the way out and the details come with the extras a moment later. A class, not hooks: the
 * first paint then loads no hooks module (the extras, and the other pages, use hooks).
 */
export class PopupApp extends Component<PopupProps, PopupState> {
  private stop: (() => void)[] = [];

  constructor(props: PopupProps) {
    super(props);
    this.state = {
      // Seeded: the first paint is the status, not "checking" (the storage read follows at once).
      snapshot: props.connector.seed ?? null,
      error: null,
      checking: false,
      tick: Date.now(),
      loaded:
        typeof props.extras === 'function'
          ? null
          : { extras: props.extras, connector: props.connector as Connector },
    };
  }

  override componentDidMount(): void {
    const { connector, extras } = this.props;
    this.stop.push(connector.subscribe((snapshot) => this.setState({ snapshot })));
    // The extras are fetched only once the first status is on screen: loaded alongside, their
    // parsing and running hold up the storage read's answer (measured: most of a cold open's wait).
    const loadExtras = () => {
      if (typeof extras === 'function')
        extras().then(
          (loaded) => this.setState({ loaded }),
          () => undefined,
        );
    };
    const afterPaint = () => requestAnimationFrame(() => setTimeout(loadExtras, 0));
    connector.getState().then(
      (snapshot) => this.setState({ snapshot }, afterPaint),
      (e: unknown) => this.setState({ error: messageOf(e) }, loadExtras),
    );
    const timer = setInterval(() => this.setState({ tick: Date.now() }), 5000);
    this.stop.push(() => clearInterval(timer));
  }

  override componentWillUnmount(): void {
    for (const stop of this.stop.splice(0)) stop();
  }

  private readonly checkNow = () => {
    const { connector } = this.props;
    this.setState({ checking: true, error: null });
    connector
      .checkNow()
      .then(
        () => connector.getState().then((snapshot) => this.setState({ snapshot })),
        (e: unknown) => this.setState({ error: messageOf(e) }),
      )
      .finally(() => this.setState({ checking: false }));
  };

  override render() {
    const { connector } = this.props;
    const { t, locale } = connector;
    const { snapshot, error, checking, loaded, tick } = this.state;
    const extras = loaded?.extras ?? null;
    if (!snapshot) {
      return (
        <main class="popup" data-connectivity="online" aria-busy="true">
          {error ? <p class="error">{t('errorMessage', [error])}</p> : <p class="hint">{t('checking')}</p>}
        </main>
      );
    }
    const { state, settings } = snapshot;
    // The later of the snapshot's read and the last tick: both are this page's own clock, so a snapshot
    // read later is never moved on again by the time the page had already been open.
    const now = Math.max(snapshot.now, tick);
    const busy = checking || snapshot.checking;
    const head = headline(
      state,
      settings.primary,
      settings.watched,
      snapshot.stale,
      t,
      locale,
      settings.customApps,
    );
    const primaryState = state.services[settings.primary];
    const itsThem =
      state.connectivity === 'online' &&
      primaryState?.status === 'down' &&
      // Down in one country is not the service's own doing (a block, a national outage): said below.
      primaryState.scope?.kind !== 'country' &&
      state.connectivityReasons.some((r) => r.code === 'controlsOk');
    const page = loaded && { snapshot, connector: loaded.connector, now };

    const rowExtras = (id: (typeof settings.watched)[number]): ComponentChildren =>
      loaded && (
        <loaded.extras.RowExtras
          id={id}
          state={state.services[id]}
          snapshot={snapshot}
          connector={loaded.connector}
        />
      );

    return (
      <main class="popup" data-connectivity={state.connectivity} data-checking={busy ? '' : undefined}>
        <header class={`headline tone-${head.tone}`}>
          {/* A live region: screen readers hear the verdict change without moving focus. */}
          <h1 aria-live="polite">{head.text}</h1>
          {state.connectivity === 'offline' && <p class="hint">{t('hintOffline')}</p>}
          {state.connectivity === 'captive' && <p class="hint">{t('hintCaptive')}</p>}
          {itsThem && (
            <p class="hint">{t('hintItsThem', [serviceName(settings.primary, settings.customApps)])}</p>
          )}
          {page && extras && <extras.HeadScope {...page} />}
        </header>

        {page && extras && <extras.WayOut {...page} />}

        <ul class={`rows${snapshot.stale ? ' stale' : ''}`}>
          {settings.watched.map((id) => (
            <ServiceRow
              key={id}
              id={id}
              state={state.services[id]}
              primary={id === settings.primary}
              muted={snapshot.muted.includes(id)}
              // The feed covers the catalog only: a user's own app has no crowd nor scope to show.
              crowdLevel={
                snapshot.crowd && isCatalogId(id)
                  ? (snapshot.crowd.feed?.services[id]?.level ?? (snapshot.crowd.feed ? 'normal' : undefined))
                  : undefined
              }
              scope={snapshot.crowd && isCatalogId(id) ? (state.services[id]?.scope ?? null) : undefined}
              t={t}
              locale={locale}
              apps={settings.customApps}
              strip={
                extras && (
                  <extras.HistoryStrip
                    buckets={snapshot.history[id]}
                    now={now}
                    name={serviceName(id, settings.customApps)}
                    t={t}
                    locale={locale}
                  />
                )
              }
            >
              {rowExtras(id)}
            </ServiceRow>
          ))}
        </ul>

        {page && extras && <extras.Below {...page} />}
        {error && (
          <p class="error" role="alert">
            {t('errorMessage', [error])}
          </p>
        )}

        <footer class="footer">
          <button
            type="button"
            data-action="check-now"
            onClick={this.checkNow}
            disabled={busy}
            aria-busy={busy}
          >
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
          {loaded && <loaded.extras.Shortcut connector={loaded.connector} />}
        </footer>
      </main>
    );
  }
}

function ago(ms: number, t: Translate, locale: string): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 5) return t('agoJustNow');
  if (s < 60) return plural(t, locale, 'agoSeconds', s);
  if (s < 3600) return plural(t, locale, 'agoMinutes', Math.floor(s / 60));
  return plural(t, locale, 'agoHours', Math.floor(s / 3600));
}
