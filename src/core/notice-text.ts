import { channelName } from './away-message';
import { type ProviderId, providerOf } from './catalog';
import { channelLinks } from './contacts';
import type { CustomApp } from './custom-apps';
import { plural, type Translate } from './format';
import { formatDuration } from './format-more';
import { listFormat } from './intl-cache';
import type { Notice } from './notify';
import { serviceName } from './services';

export interface NoticeText {
  readonly title: string;
  readonly message: string;
  /** Where a click goes: the best fallback's web app or deep link; null = open the popup. */
  readonly openUrl: string | null;
  /** Label of the "open fallback" button (Chrome only), or null. */
  readonly openLabel: string | null;
}

/**
 * The words of a notification: "WhatsApp is back: it was down for 2 h 3 min", or, when it fails only
 * from here: "Can’t reach WhatsApp from your network: other browsers can (120 networks)…".
 */
export function noticeText(
  notice: Notice,
  t: Translate,
  locale: string,
  apps: readonly CustomApp[],
): NoticeText {
  if (notice.services.length > 1) return outageText(notice, t, locale, apps);
  const name = serviceName(notice.service, apps);
  const { fallbackName, openUrl, openLabel } = fallbackOf(notice, t, apps);
  const duration = formatDuration(notice.durationMs, t, locale);
  switch (notice.kind) {
    case 'down':
      return {
        title: t('notifyDownTitle', [name]),
        message: fallbackName ? t('notifyDownBody', [fallbackName]) : t('notifyDownBodyNoFallback', [name]),
        openUrl,
        openLabel,
      };
    case 'reminder':
      return {
        title: t('notifyReminderTitle', [name]),
        message: t('notifyReminderBody', [duration]),
        openUrl,
        openLabel,
      };
    case 'back':
      return {
        title: t('notifyBackTitle', [name]),
        message: t('notifyBackBody', [duration]),
        openUrl: null,
        openLabel: null,
      };
    case 'local':
      // Not "down": others reach it, so the user's own network is what to look at.
      return {
        title: t('notifyLocalTitle', [name]),
        message: plural(t, locale, 'notifyLocalBody', notice.othersUp ?? 0),
        openUrl: null,
        openLabel: null,
      };
    case 'unstable':
      return {
        title: t('notifyUnstableTitle', [name]),
        message: t('notifyUnstableBody'),
        openUrl: null,
        openLabel: null,
      };
  }
}

/** The fallback a notice points to: its name, where a click goes, and the button's label. */
function fallbackOf(notice: Notice, t: Translate, apps: readonly CustomApp[]) {
  const links = notice.fallback ? channelLinks(notice.fallback, undefined, apps) : null;
  const fallbackName = notice.fallback ? channelName(notice.fallback, t, apps) : null;
  return {
    fallbackName,
    openUrl: links?.web ?? links?.app ?? null,
    openLabel: fallbackName ? t('openChannel', [fallbackName]) : null,
  };
}

/**
 * Brand names of providers with several apps in the catalog: "Meta’s apps are down: …". A provider
 * without one here is named by its apps alone ("3 apps are down: …").
 */
const PROVIDER_NAMES: Partial<Record<ProviderId, string>> = { meta: 'Meta', microsoft: 'Microsoft' };

/**
 * One outage of several apps: "Meta’s apps are down: WhatsApp, Messenger, Instagram" when they share a
 * provider, "3 apps are down: WhatsApp, Discord, Slack" when they do not (a wide cloud outage).
 */
function outageText(notice: Notice, t: Translate, locale: string, apps: readonly CustomApp[]): NoticeText {
  const names = listFormat(locale, { style: 'short', type: 'unit' }).format(
    notice.services.map((id) => serviceName(id, apps)),
  );
  const providers = new Set(notice.services.map(providerOf));
  const provider = providers.size === 1 ? PROVIDER_NAMES[[...providers][0] as ProviderId] : undefined;
  const title = (kind: 'Down' | 'Reminder' | 'Back') =>
    provider
      ? t(`notifyGroup${kind}Title`, [provider, names])
      : plural(t, locale, `notifyApps${kind}Title`, notice.services.length, [names]);
  const { fallbackName, ...open } = fallbackOf(notice, t, apps);
  const duration = formatDuration(notice.durationMs, t, locale);
  switch (notice.kind) {
    case 'back':
      return {
        title: title('Back'),
        message: t('notifyGroupBackBody', [duration]),
        openUrl: null,
        openLabel: null,
      };
    case 'reminder':
      return { title: title('Reminder'), message: t('notifyReminderBody', [duration]), ...open };
    default:
      return {
        title: title('Down'),
        message: fallbackName ? t('notifyDownBody', [fallbackName]) : t('notifyGroupDownBodyNoFallback'),
        ...open,
      };
  }
}
