import { useEffect, useRef, useState } from 'preact/hooks';
import type { Translate } from '../core/format';
import type { Connector } from '../ui/connector';
import { Section } from './section';

type Grant = 'unknown' | 'granted' | 'denied';

/** Optional host permissions: asked for only from the button, because browsers need a user gesture. */
export function PermissionsSection({ connector, t }: { connector: Connector; t: Translate }) {
  const [grant, setGrant] = useState<Grant>('unknown');
  const message = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    let live = true;
    connector.hasDetailedChecks().then(
      (has) => {
        if (live && has) setGrant('granted');
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [connector]);

  const request = () => {
    // Called synchronously in the click handler: the gesture must still be active.
    connector.requestDetailedChecks().then(
      (ok) => {
        setGrant(ok ? 'granted' : 'denied');
        // The button goes away once granted: keep keyboard focus on the answer instead of the page.
        if (ok) setTimeout(() => message.current?.focus(), 0);
      },
      () => setGrant('denied'),
    );
  };

  return (
    <Section id="permissions" title={t('permissionsLabel')} hint={t('permissionsHint')} t={t}>
      {grant !== 'granted' && (
        <button type="button" data-action="grant-permissions" onClick={request}>
          {t('grantPermissions')}
        </button>
      )}
      <p ref={message} tabIndex={-1} class={grant === 'denied' ? 'hint' : 'ok'} role="status">
        {grant === 'granted' ? t('permissionsGranted') : grant === 'denied' ? t('permissionsDenied') : ''}
      </p>
    </Section>
  );
}
