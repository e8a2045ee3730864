import { channelName } from './away-message';
import { channelLinks } from './contacts';
import { plural, type Translate } from './format';
import { formatDuration } from './format-more';
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
export function noticeText(notice: Notice, t: Translate, locale: string): NoticeText {
  const name = serviceName(notice.service);
  const links = notice.fallback ? channelLinks(notice.fallback, undefined) : null;
  const openUrl = links?.web ?? links?.app ?? null;
  const fallbackName = notice.fallback ? channelName(notice.fallback, t) : null;
  const openLabel = fallbackName ? t('openChannel', [fallbackName]) : null;
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
