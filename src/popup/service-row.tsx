import type { ComponentChildren } from 'preact';
import type { CustomApp } from '../core/custom-apps';
import { formatClock, formatNumber, type Translate } from '../core/format';
import type { CrowdScope } from '../core/scope';
import { type ServiceId, serviceName } from '../core/services';
import { statusWord } from '../core/status-word';
import type { ServiceState, Status } from '../core/types';
import type { Level } from '../shared/feed';

// A glyph per status next to the word, so status never depends on colour alone.
const STATUS_ICON: Record<Status, string> = { up: '✓', down: '✕', degraded: '!', unknown: '?' };

export function ServiceRow(props: {
  id: ServiceId;
  state: ServiceState | undefined;
  primary: boolean;
  t: Translate;
  locale: string;
  /** The user's own apps (the snapshot's settings), to name one of them. */
  apps: readonly CustomApp[];
  /** Muted now: no notices, out of the badge, still shown here (src/core/mutes.ts). */
  muted?: boolean;
  /** The crowd feed's level for this service, when a feed is configured and readable. */
  crowdLevel?: Level | undefined;
  /** Where the crowd of browsers sees it fail, when a feed is configured (null: it can't tell). */
  scope?: CrowdScope | null | undefined;
  /** The 24 h strip, when loaded (it comes with the extras, a moment after the first paint). */
  strip?: ComponentChildren;
  /** The row's details (why, reports from others, report a problem), when loaded. */
  children?: ComponentChildren;
}) {
  const { id, state, primary, t, locale } = props;
  const status: Status = state?.status ?? 'unknown';
  const name = serviceName(id, props.apps);
  // Going up and down is a flag beside up or down; offline, nothing is said about the app.
  const unstable = state?.unstable === true && status !== 'unknown';
  const scope = props.scope;
  return (
    <li
      class={`row row-${status}`}
      data-service={id}
      data-status={status}
      data-primary={primary ? '' : undefined}
      data-maintenance={state?.maintenance ? '' : undefined}
      data-unstable={unstable ? '' : undefined}
      data-muted={props.muted ? '' : undefined}
      data-crowd={props.crowdLevel}
      data-scope={scope === undefined ? undefined : (scope?.kind ?? 'unknown')}
      data-scope-country={scope?.kind === 'country' ? (scope.country ?? undefined) : undefined}
    >
      <div class="row-main">
        <span class="row-name">
          <span class="service-mark" aria-hidden="true">
            {name.slice(0, 1)}
          </span>
          {name}
        </span>
        <span class="row-status">
          {state?.maintenance && <span class="tag tag-maintenance">{t('maintenanceBadge')}</span>}
          {unstable && <span class="tag tag-unstable">{t('tagUnstable')}</span>}
          {state?.confidence === 'low' && (
            <span class="tag tag-uncertain" data-confidence="low">
              {t('confidenceLow')}
            </span>
          )}
          <span class={`status status-${status}`}>
            <span aria-hidden="true">{STATUS_ICON[status]}</span> {t(statusWord(state))}
          </span>
        </span>
      </div>
      <div class="row-meta">
        {state && <span>{t('rowSince', [formatClock(state.since, locale)])}</span>}
        {state?.latencyMs != null && <span>{t('latencyMs', [formatNumber(state.latencyMs, locale)])}</span>}
        {props.strip}
      </div>
      {props.children}
    </li>
  );
}
