import { useEffect, useState } from 'preact/hooks';
import type { HostAccess } from '../core/host-access';
import type { Connector } from './connector';

/** Detailed checks as the browser grants them, kept current while the page is open (the user may
 * grant or revoke them in the browser's settings at any moment). Null until first read. */
export function useHostAccess(connector: Connector): HostAccess | null {
  const [access, setAccess] = useState<HostAccess | null>(null);
  useEffect(() => {
    let live = true;
    const read = () => {
      connector.hostAccess().then(
        (a) => {
          if (live) setAccess(a);
        },
        () => undefined,
      );
    };
    read();
    const stop = connector.watchHostAccess(read);
    return () => {
      live = false;
      stop();
    };
  }, [connector]);
  return access;
}
