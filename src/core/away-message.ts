// How to reach people when the main app is down, in words: a channel's name, and the ready-made
// away message built from the user's own handles.

import type { CustomApp } from './custom-apps';
import type { Translate } from './format';
import type { Handles } from './handles';
import { listFormat } from './intl-cache';
import type { MessageKey } from './messages';
import { type ChannelId, isServiceId, type ServiceId, serviceName } from './services';

const RTL_LANGUAGES = new Set(['ar', 'he', 'fa', 'ur']);

export function channelName(channel: ChannelId, t: Translate, apps: readonly CustomApp[]): string {
  if (isServiceId(channel)) return serviceName(channel, apps);
  const keys: Record<'phone' | 'sms' | 'email', MessageKey> = {
    phone: 'channelPhone',
    sms: 'channelSms',
    email: 'channelEmail',
  };
  return t(keys[channel]);
}

/**
 * "WhatsApp is down right now. Reach me on Telegram @me or call +39 …": built from the user's own
 * handles, in their fallback order. Null when they have entered no handle yet.
 */
export function awayMessage(
  primary: ServiceId,
  fallbacks: readonly ChannelId[],
  handles: Handles,
  t: Translate,
  locale: string,
  apps: readonly CustomApp[],
): string | null {
  const ways: string[] = [];
  for (const channel of fallbacks) {
    if (channel === primary) continue;
    const raw = (handles as Record<string, string | undefined>)[channel];
    if (!raw) continue;
    // In right-to-left text a Latin handle or "+39 …" is isolated, or it is shown scrambled ("me@").
    const handle = RTL_LANGUAGES.has(locale.split('-')[0] ?? '') ? `\u2068${raw}\u2069` : raw;
    if (channel === 'phone') ways.push(t('awayCall', [handle]));
    else if (channel === 'sms') ways.push(t('awayText', [handle]));
    else if (channel === 'email') ways.push(t('awayEmail', [handle]));
    else ways.push(t('awayOn', [serviceName(channel, apps), handle]));
  }
  if (ways.length === 0) return null;
  const list = listFormat(locale, { style: 'long', type: 'disjunction' }).format(ways);
  return t('awayMessage', [serviceName(primary, apps), list]);
}
