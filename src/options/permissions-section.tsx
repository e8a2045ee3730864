import { useEffect, useRef, useState } from 'preact/hooks';
import type { Translate } from '../core/format';
import type { Connector } from '../ui/connector';
import { HostAccessPrompt } from '../ui/host-access-prompt';
import { useHostAccess } from '../ui/use-host-access';
import { Section } from './section';

/**
 * Optional host permissions, as the browser grants them now (the user may change them in the
 * browser's settings while this page is open). Asked for only from a button: browsers need a gesture.
 */
export function PermissionsSection({ connector, t }: { connector: Connector; t: Translate }) {
  const access = useHostAccess(connector);
  const [denied, setDenied] = useState(false);
  const message = useRef<HTMLParagraphElement>(null);
  const state = access?.state ?? null;
  const asked = useRef(false);

  useEffect(() => {
    // Granted from this page's button, which goes away: keep keyboard focus on the answer instead.
    if (state === 'on' && asked.current) {
      asked.current = false;
      message.current?.focus();
    }
  }, [state]);

  const request = () => {
    asked.current = true;
    // Called synchronously in the click handler: the gesture must still be active.
    connector.requestDetailedChecks().then(
      (ok) => setDenied(!ok),
      () => setDenied(true),
    );
  };

  return (
    <Section id="permissions" title={t('permissionsLabel')} hint={t('permissionsHint')} t={t}>
      {access?.state === 'missing' && (
        <HostAccessPrompt access={access} connector={connector} t={t} locale={connector.locale} />
      )}
      {(state === null || state === 'off') && (
        <button type="button" data-action="grant-permissions" onClick={request}>
          {t('grantPermissions')}
        </button>
      )}
      <p
        ref={message}
        tabIndex={-1}
        class={state === 'on' ? 'ok' : 'hint'}
        role="status"
        data-host-access={state ?? undefined}
      >
        {state === 'on' ? t('permissionsGranted') : state === 'off' && denied ? t('permissionsDenied') : ''}
      </p>
      {state === 'on' && (
        <button
          type="button"
          data-action="revoke-permissions"
          onClick={() => void connector.turnOffDetailedChecks().catch(() => undefined)}
        >
          {t('revokePermissions')}
        </button>
      )}
    </Section>
  );
}
