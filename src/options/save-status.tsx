import { useCallback, useRef, useState } from 'preact/hooks';
import type { Translate } from '../core/format';
import { messageOf } from '../ui/message-of';

export type SaveStatus =
  | { readonly kind: 'idle' }
  | { readonly kind: 'saving' }
  | { readonly kind: 'saved' }
  | { readonly kind: 'failed'; readonly message: string };

const IDLE: SaveStatus = { kind: 'idle' };

/**
 * The save state of one section. `track` follows one save; when saves overlap, only the latest one
 * decides what the section shows, so an old failure never hides a newer success.
 */
export function useSaveStatus(): {
  status: SaveStatus;
  track: (work: Promise<unknown>) => Promise<boolean>;
  reset: () => void;
} {
  const [status, setStatus] = useState<SaveStatus>(IDLE);
  const latest = useRef(0);
  const track = useCallback((work: Promise<unknown>) => {
    const id = ++latest.current;
    setStatus({ kind: 'saving' });
    return work.then(
      () => {
        if (id === latest.current) setStatus({ kind: 'saved' });
        return true;
      },
      (e: unknown) => {
        if (id === latest.current) setStatus({ kind: 'failed', message: messageOf(e) });
        return false;
      },
    );
  }, []);
  const reset = useCallback(() => {
    latest.current++;
    setStatus(IDLE);
  }, []);
  return { status, track, reset };
}

/** "Saved" in a live region that is always present, so screen readers announce it when it appears. */
export function SaveStatusView({ status, t }: { status: SaveStatus; t: Translate }) {
  return (
    <>
      <p class="save-status" role="status">
        {status.kind === 'saved' ? t('saved') : ''}
      </p>
      {status.kind === 'failed' && (
        <p class="error" role="alert">
          {t('saveFailed', [status.message])}
        </p>
      )}
    </>
  );
}
