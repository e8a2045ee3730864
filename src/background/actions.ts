// What the pages may ask of the background, as actions: check now, change settings, pause
// notifications, report a problem. State never travels in messages: pages read it from storage.

import type { MuteFor } from '../core/mutes';
import type { ServiceId } from '../core/services';
import type { Settings } from '../core/settings';
import { applySettingsPatch, validateSettingsPatch } from '../core/settings-edit';
import { ProtocolError, type Request, type RequestMap, type RequestType } from '../shared/protocol';
import type { Checker } from './checker';
import { type ReportDeps, sendReport } from './report';

export interface ActionDeps {
  readonly checker: Checker;
  readonly loadSettings: () => Promise<Settings>;
  readonly saveSettings: (settings: Settings) => Promise<void>;
  readonly saveSnooze: (until: number | null) => Promise<void>;
  /** Mutes one app from now (null: ends its mute). */
  readonly saveMute: (service: ServiceId, kind: MuteFor | null) => Promise<void>;
  readonly report: ReportDeps;
  readonly onError: (error: unknown) => void;
}

export type Actions = (request: Request) => Promise<RequestMap[RequestType]['response']>;

export function createActions(deps: ActionDeps): Actions {
  return async (request) => {
    switch (request.type) {
      case 'check-now':
        await deps.checker.check();
        return null;
      case 'update-settings': {
        const problems = validateSettingsPatch(request.patch);
        const keys = Object.keys(problems);
        if (keys.length > 0) {
          throw new ProtocolError('invalid-settings', keys.map((k) => `${k}: ${problems[k]}`).join('; '));
        }
        await deps.saveSettings(applySettingsPatch(await deps.loadSettings(), request.patch));
        // A new watched set or primary changes what is to be checked: check again with them, after a
        // check that may be running with the old ones.
        void deps.checker.check({ fresh: true }).catch(deps.onError);
        return null;
      }
      case 'snooze':
        await deps.saveSnooze(request.until);
        return null;
      case 'mute':
        await deps.saveMute(request.service, request.for);
        return null;
      case 'report':
        return sendReport(deps.report, request.service, request.problem);
    }
  };
}
