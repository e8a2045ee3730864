import en from '../../_locales/en/messages.json';
import type { Contact } from '../../src/core/contacts';
import { readContacts } from '../../src/core/contacts';
import type { HostAccess } from '../../src/core/host-access';
import { mutedIds, withMute } from '../../src/core/mutes';
import type { ReportOutcome } from '../../src/core/report';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { applySettingsPatch, validateSettingsPatch } from '../../src/core/settings-edit';
import type { Snapshot } from '../../src/core/snapshot';
import { DEFAULT_THRESHOLDS } from '../../src/core/thresholds';
import { translatorFor } from '../../src/core/translate';
import { INITIAL_STATE, type MonitorState } from '../../src/core/types';
import { ProtocolError } from '../../src/shared/protocol';
import type { Connector } from '../../src/ui/connector';

export interface MockConnector extends Connector {
  /** Replaces the snapshot and notifies subscribers, as a change in storage would. */
  push(snapshot: Snapshot): void;
  readonly calls: string[];
  copied: string | null;
  storedContacts: unknown;
  /** What the next report answers. */
  reportOutcome: ReportOutcome;
  /** Detailed checks as the pretend browser grants them now. */
  access: HostAccess;
  /** What the next permission request answers. */
  grantAnswer: boolean;
  /** What the browser's data consent answers when sharing is turned on. */
  consentAnswer: boolean;
  /** Plays a change of grants (as from the browser's own settings): watchers are called. */
  changeHostAccess(access: HostAccess): void;
  /** The keys `shortcut()` answers (null: none set). */
  shortcutKeys: string | null;
}

export const EMPTY_SNAPSHOT: Snapshot = {
  state: INITIAL_STATE,
  settings: DEFAULT_SETTINGS,
  history: {},
  outages: [],
  crowd: null,
  muted: [],
  mutes: {},
  snoozedUntil: null,
  checking: false,
  stale: true,
  thresholds: DEFAULT_THRESHOLDS,
  now: Date.UTC(2026, 10, 23, 14, 20),
};

/**
 * The snapshot of a check that ended 20 s before EMPTY_SNAPSHOT.now, online with the controls
 * answering, with these services (and anything else of the state in `state`).
 */
export function checkedSnapshot(
  services: MonitorState['services'],
  state: Partial<MonitorState> = {},
): Snapshot {
  return {
    ...EMPTY_SNAPSHOT,
    stale: false,
    state: {
      connectivity: 'online',
      connectivityReasons: [{ code: 'controlsOk' }],
      checkedAt: EMPTY_SNAPSHOT.now - 20_000,
      services,
      ...state,
    },
  };
}

/**
 * A connector without a browser: English strings, an in-memory snapshot standing for storage (actions
 * change it and notify subscribers, as storage.onChanged would), recorded actions.
 */
export function mockConnector(initial: Partial<Snapshot> = {}, contacts: unknown = []): MockConnector {
  let snapshot: Snapshot = { ...EMPTY_SNAPSHOT, ...initial };
  const listeners = new Set<(s: Snapshot) => void>();
  const accessListeners = new Set<() => void>();
  const mock: MockConnector = {
    t: translatorFor(en),
    locale: 'en',
    dir: 'ltr',
    calls: [],
    copied: null,
    storedContacts: contacts,
    push(next) {
      snapshot = next;
      for (const l of listeners) l(snapshot);
    },
    async getState() {
      mock.calls.push('get-state');
      return snapshot;
    },
    async checkNow() {
      mock.calls.push('check-now');
    },
    async updateSettings(patch) {
      mock.calls.push(`update-settings ${JSON.stringify(patch)}`);
      const problems = validateSettingsPatch(patch);
      if (Object.keys(problems).length > 0) {
        throw new ProtocolError(
          'invalid-settings',
          Object.entries(problems)
            .map(([k, p]) => `${k}: ${p}`)
            .join('; '),
        );
      }
      mock.push({ ...snapshot, settings: applySettingsPatch(snapshot.settings, patch) });
    },
    reportOutcome: { kind: 'counted' },
    async report(service, problem) {
      mock.calls.push(`report ${service} ${problem}`);
      return mock.reportOutcome;
    },
    async mute(service, kind) {
      mock.calls.push(`mute ${service} ${kind}`);
      const mutes = withMute(snapshot.mutes, snapshot.state, service, kind, snapshot.now);
      mock.push({ ...snapshot, mutes, muted: mutedIds(mutes, snapshot.state, snapshot.now) });
    },
    async snooze(until) {
      mock.calls.push(`snooze ${until}`);
      mock.push({ ...snapshot, snoozedUntil: until });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async loadContacts() {
      return readContacts(mock.storedContacts);
    },
    async saveContacts(list: readonly Contact[]) {
      mock.calls.push('save-contacts');
      mock.storedContacts = list;
    },
    async copy(text) {
      mock.copied = text;
    },
    openOptions() {
      mock.calls.push('open-options');
    },
    openWelcome(section) {
      mock.calls.push(`open-welcome ${section ?? ''}`.trim());
    },
    shortcutKeys: 'Alt+Shift+D',
    async shortcut() {
      return mock.shortcutKeys;
    },
    access: { state: 'off', missing: [] },
    grantAnswer: true,
    async hostAccess() {
      return mock.access;
    },
    async requestDetailedChecks() {
      mock.calls.push('request-permissions');
      if (mock.grantAnswer) mock.changeHostAccess({ state: 'on', missing: [] });
      return mock.grantAnswer;
    },
    async turnOffDetailedChecks() {
      mock.calls.push('turn-off-permissions');
      mock.changeHostAccess({ state: 'off', missing: [] });
    },
    consentAnswer: true,
    async askShareConsent() {
      mock.calls.push('ask-share-consent');
      return mock.consentAnswer;
    },
    watchHostAccess(listener) {
      accessListeners.add(listener);
      return () => accessListeners.delete(listener);
    },
    changeHostAccess(access) {
      mock.access = access;
      for (const l of accessListeners) l();
    },
  };
  return mock;
}
