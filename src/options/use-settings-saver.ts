import { useRef } from 'preact/hooks';
import { applySettingsPatch, type Settings } from '../core/settings';
import type { SettingsPatch, Snapshot } from '../shared/protocol';
import type { Connector } from '../ui/connector';

/**
 * Saves settings patches one after another, so they are stored in the order the user made them.
 * Each change shows at once; the background's answer replaces it, with the patches still on their
 * way laid on top (a quick second click is not undone by the first answer). A refused patch goes
 * back to the background's state and rejects with its error.
 */
export function useSettingsSaver(
  connector: Connector,
  snapshot: Snapshot | null,
  setSnapshot: (s: Snapshot) => void,
): (patch: SettingsPatch) => Promise<Snapshot> {
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const pending = useRef<SettingsPatch[]>([]);

  const show = (base: Snapshot) =>
    setSnapshot({ ...base, settings: pending.current.reduce<Settings>(applySettingsPatch, base.settings) });

  return (patch) => {
    pending.current.push(patch);
    if (snapshot) show(snapshot);
    const settle = () => {
      pending.current = pending.current.filter((p) => p !== patch);
    };
    const run = queue.current.then(() => connector.updateSettings(patch));
    queue.current = run.catch(() => undefined);
    return run.then(
      (next) => {
        settle();
        show(next);
        return next;
      },
      (e: unknown) => {
        settle();
        connector.getState().then(show, () => undefined);
        throw e;
      },
    );
  };
}
