import { useRef } from 'preact/hooks';
import type { Settings } from '../core/settings';
import { applySettingsPatch } from '../core/settings-edit';
import type { Snapshot } from '../core/snapshot';
import type { SettingsPatch } from '../shared/protocol';
import type { Connector } from '../ui/connector';

/**
 * Saves settings patches one after another, so they are stored in the order the user made them.
 * Each change shows at once; once saved, what storage holds replaces it, with the patches still on
 * their way laid on top (a quick second click is not undone by the first save). A refused patch goes
 * back to the stored state and rejects with its error.
 */
export function useSettingsSaver(
  connector: Connector,
  snapshot: Snapshot | null,
  setSnapshot: (s: Snapshot) => void,
): (patch: SettingsPatch) => Promise<void> {
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const pending = useRef<SettingsPatch[]>([]);

  const show = (base: Snapshot) => {
    const settings = pending.current.reduce<Settings>(applySettingsPatch, base.settings);
    setSnapshot({ ...base, settings });
  };

  return (patch) => {
    pending.current.push(patch);
    if (snapshot) show(snapshot);
    const settle = () => {
      pending.current = pending.current.filter((p) => p !== patch);
    };
    const run = queue.current.then(() => connector.updateSettings(patch));
    queue.current = run.catch(() => undefined);
    const reread = () => connector.getState().then(show, () => undefined);
    return run.then(
      async () => {
        settle();
        await reread();
      },
      (e: unknown) => {
        settle();
        void reread();
        throw e;
      },
    );
  };
}
