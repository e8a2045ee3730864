import { channelName } from '../core/away-message';
import { type Contact, channelLinks, type Handles } from '../core/contacts';
import type { CustomApp } from '../core/custom-apps';
import type { FallbackChoice, GroupChoice } from '../core/fallbacks';
import type { Translate } from '../core/format';
import { type ChannelId, isServiceId, SERVICE_NAMES } from '../core/services';

/** One click to a working channel: the web app, with the app's deep link beside it. */
export function Fallbacks(props: {
  choices: readonly FallbackChoice[];
  t: Translate;
  /** The user's own apps (the settings'): where one of them opens, and its name. */
  apps: readonly CustomApp[];
}) {
  const { choices, t, apps } = props;
  if (choices.length === 0) return null;
  return (
    <section class="fallbacks" aria-labelledby="fallbacks-title">
      <h2 id="fallbacks-title">{t('fallbacksTitle')}</h2>
      <ul>
        {choices.map(({ channel }) => {
          const links = channelLinks(channel, undefined, apps);
          const main = links.web ?? links.app;
          return (
            <li key={channel}>
              <a
                class="button primary-action"
                data-fallback={channel}
                href={main ?? '#'}
                target="_blank"
                rel="noreferrer"
              >
                {actionLabel(channel, t, apps)}
              </a>
              {links.web && links.app && (
                <a class="app-link" href={links.app} target="_blank" rel="noreferrer">
                  {t('openInApp')}
                </a>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** "Open the Family group on Signal": one click to each backup group the user set on a contact. */
export function BackupGroups(props: { groups: readonly GroupChoice[]; t: Translate }) {
  const { groups, t } = props;
  if (groups.length === 0) return null;
  return (
    <section class="groups" aria-labelledby="groups-title">
      <h2 id="groups-title">{t('groupsTitle')}</h2>
      <ul>
        {groups.slice(0, 6).map(({ contact, app, link }) => (
          <li key={contact.id}>
            <a
              class="button"
              href={link}
              target="_blank"
              rel="noreferrer"
              data-group={contact.id}
              data-group-app={app}
            >
              {t('openGroup', [contact.name, SERVICE_NAMES[app]])}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

function actionLabel(channel: ChannelId, t: Translate, apps: readonly CustomApp[]): string {
  if (channel === 'phone') return t('callAction');
  if (channel === 'sms') return t('textAction');
  if (channel === 'email') return t('emailAction');
  return t('openChannel', [channelName(channel, t, apps)]);
}

/** "Reach Maria on Telegram": each contact on the best channel they have a handle for. */
export function ContactSuggestions(props: {
  contacts: readonly Contact[];
  choices: readonly FallbackChoice[];
  t: Translate;
  apps: readonly CustomApp[];
}) {
  const { contacts, choices, t, apps } = props;
  const items = contacts.flatMap((c) => {
    const choice = choices.find(({ channel }) => handleFor(c.handles, channel));
    if (!choice) return [];
    const handle = handleFor(c.handles, choice.channel);
    const links = channelLinks(choice.channel, handle, apps);
    return [{ contact: c, channel: choice.channel, href: links.web ?? links.app ?? '#' }];
  });
  if (items.length === 0) return null;
  return (
    <section class="contacts" aria-labelledby="contacts-title">
      <h2 id="contacts-title">{t('contactsTitle')}</h2>
      <ul>
        {items.slice(0, 6).map(({ contact, channel, href }) => (
          <li key={contact.id}>
            <a href={href} target="_blank" rel="noreferrer" data-contact={contact.id} data-channel={channel}>
              {contactLabel(contact.name, channel, t, apps)}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

function handleFor(handles: Handles, channel: ChannelId): string | undefined {
  if (channel === 'sms') return handles.sms ?? handles.phone;
  if (isServiceId(channel) && channel !== 'telegram' && channel !== 'signal' && channel !== 'whatsapp')
    return undefined;
  return handles[channel as keyof Handles];
}

function contactLabel(name: string, channel: ChannelId, t: Translate, apps: readonly CustomApp[]): string {
  if (channel === 'phone') return t('callContact', [name]);
  if (channel === 'sms') return t('textContact', [name]);
  if (channel === 'email') return t('emailContact', [name]);
  return t('reachContact', [name, channelName(channel, t, apps)]);
}
