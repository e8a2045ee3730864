import type { Contact, ContactsReadResult } from '../core/contacts';
import type { Translate } from '../core/format';
import type { HostAccess } from '../core/host-access';
import type { MuteFor } from '../core/mutes';
import type { ReportOutcome } from '../core/report';
import type { ServiceId } from '../core/services';
import type { Snapshot } from '../core/snapshot';
import type { Problem } from '../shared/feed';
import type { SettingsPatch } from '../shared/protocol';

/**
 * What a page needs to paint its first answer: words, the snapshot (read from storage, followed as it
 * changes) and the plain actions. The popup loads nothing more before its first paint.
 */
export interface CoreConnector {
  readonly t: Translate;
  readonly locale: string;
  readonly dir: 'ltr' | 'rtl';
  /**
   * What the page was opened with, when it was (the popup's seed: platform/view-store.ts): painted at
   * once, before getState answers.
   */
  readonly seed?: Snapshot | null;
  /** The current snapshot, read from storage (the background need not be awake). */
  getState(): Promise<Snapshot>;
  /** Calls back with a fresh snapshot whenever storage changes; returns an unsubscribe. */
  subscribe(listener: (snapshot: Snapshot) => void): () => void;
  /** Resolves once the check has ended; its result arrives through subscribe. */
  checkNow(): Promise<void>;
  /** Resolves once the settings are saved (or rejects with why not). */
  updateSettings(patch: SettingsPatch): Promise<void>;
  /** Pauses notifications until a time; null resumes them. */
  snooze(until: number | null): Promise<void>;
  openOptions(): void;
}

/**
 * Everything a Detour page needs from the outside world. Pages render a snapshot and call these
 * actions. The browser connector reads the snapshot from storage and follows its changes, and sends
 * actions to the background; the mock connector (test/unit) lets tests render pages without a browser.
 */
export interface Connector extends CoreConnector {
  /** Reports a problem with a service to the crowd feed. */
  report(service: ServiceId, problem: Problem): Promise<ReportOutcome>;
  /** Mutes one app for a while; null ends its mute. Resolves once stored. */
  mute(service: ServiceId, kind: MuteFor | null): Promise<void>;
  loadContacts(): Promise<ContactsReadResult>;
  saveContacts(contacts: readonly Contact[]): Promise<void>;
  copy(text: string): Promise<void>;
  /** Opens the welcome page in a tab, at one of its sections (e.g. 'badges', the full legend). */
  openWelcome(section?: string): void;
  /** The keys that open the popup, as the browser has them now; null when none are set. */
  shortcut(): Promise<string | null>;
  /** Optional host permissions for detailed checks, as the browser grants them now. */
  hostAccess(): Promise<HostAccess>;
  /** Asks the browser for them: call it from a click handler (browsers want a user gesture). */
  requestDetailedChecks(): Promise<boolean>;
  /**
   * Asks the browser's data consent for sharing observations (Firefox; true at once elsewhere): call
   * it from the click that turns sharing on.
   */
  askShareConsent(): Promise<boolean>;
  /** Gives the grants back and stops asking for them. */
  turnOffDetailedChecks(): Promise<void>;
  /** Calls back whenever the grants change (here or in the browser's settings); returns an unsubscribe. */
  watchHostAccess(listener: () => void): () => void;
}
