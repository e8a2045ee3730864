import { useEffect, useState } from 'preact/hooks';
import type { Snapshot } from '../core/snapshot';
import type { CoreConnector } from './connector';
import { messageOf } from './message-of';

/** The latest snapshot: read once from storage, then kept fresh as storage changes. */
export function useSnapshot(connector: CoreConnector): {
  snapshot: Snapshot | null;
  setSnapshot: (s: Snapshot) => void;
  error: string | null;
  setError: (e: string | null) => void;
} {
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const unsubscribe = connector.subscribe(setSnapshot);
    connector.getState().then(setSnapshot, (e: unknown) => setError(messageOf(e)));
    return unsubscribe;
  }, [connector]);
  return { snapshot, setSnapshot, error, setError };
}
