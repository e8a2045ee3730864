import { useState } from 'preact/hooks';
import { probeOriginPatterns } from '../core/catalog';
import type { Translate } from '../core/format';
import type { HostAccess } from '../core/host-access';
import { listFormat } from '../core/intl-cache';
import type { Connector } from './connector';

/**
 * Said in the popup and the settings when detailed checks were turned on and the browser no longer
 * grants all of them (Firefox lets the user revoke each host from the add-on's Permissions tab;
 * Chrome from its site access): what is lost, and one click to allow again or to keep them off.
 */
export function HostAccessPrompt({
  access,
  connector,
  t,
  locale,
}: {
  access: HostAccess;
  connector: Connector;
  t: Translate;
  locale: string;
}) {
  const [denied, setDenied] = useState(false);
  const all = access.missing.length >= probeOriginPatterns().length;
  const hosts = listFormat(locale, { type: 'conjunction' }).format(access.missing);
  const allow = () => {
    // Straight from the click: the browser only prompts during a user gesture. (Firefox may close the
    // popup to show its prompt; the grant still arrives, and the pages hear of it.)
    connector.requestDetailedChecks().then(
      (ok) => setDenied(!ok),
      () => setDenied(true),
    );
  };
  return (
    <div class="host-access-prompt" data-host-access="missing" role="status">
      <p>{all ? t('hostAccessRevoked') : t('hostAccessPartial', [hosts])}</p>
      <p class="host-access-actions">
        <button type="button" data-action="grant-permissions" onClick={allow}>
          {t('hostAccessRestore')}
        </button>
        <button
          type="button"
          data-action="keep-permissions-off"
          onClick={() => void connector.turnOffDetailedChecks().catch(() => undefined)}
        >
          {t('hostAccessKeepOff')}
        </button>
      </p>
      {denied && <p class="hint">{t('permissionsDenied')}</p>}
    </div>
  );
}
