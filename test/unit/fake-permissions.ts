// An in-memory `permissions` API for @webext-core/fake-browser (which leaves it unimplemented): the
// grants, the user's answer to the browser's prompt, and grants changed from the browser's settings.
import type { fakeBrowser } from '@webext-core/fake-browser';
import chromeManifest from '../../manifest.json' with { type: 'json' };

type Change = { origins?: string[]; permissions?: string[]; data_collection?: string[] };
type Listener = (change: Change) => void | Promise<void>;

function event() {
  const listeners = new Set<Listener>();
  return {
    addListener: (l: Listener) => void listeners.add(l),
    removeListener: (l: Listener) => void listeners.delete(l),
    hasListener: (l: Listener) => listeners.has(l),
    trigger: async (change: Change) => {
      await Promise.all([...listeners].map((l) => l(change)));
    },
  };
}

export interface FakePermissions {
  readonly granted: Set<string>;
  /** Firefox's optional data collection types the user allowed. */
  readonly dataCollection: Set<string>;
  /** What the browser's prompt answers to `permissions.request`. */
  answer: boolean;
  readonly requests: string[][];
  /** The user allows origins in the browser's own settings (Firefox's add-on Permissions tab). */
  grant(origins: readonly string[]): Promise<void>;
  /** The user takes origins back there. */
  revoke(origins: readonly string[]): Promise<void>;
}

export function installFakePermissions(browser: typeof fakeBrowser, initial: readonly string[] = []) {
  // The optional origins are read from the manifest, as the built extension lists them.
  Object.assign(browser.runtime, { getManifest: () => chromeManifest });
  const onAdded = event();
  const onRemoved = event();
  const fake: FakePermissions = {
    granted: new Set(initial),
    dataCollection: new Set(),
    answer: true,
    requests: [],
    async grant(origins) {
      const added = origins.filter((o) => !fake.granted.has(o));
      for (const o of added) fake.granted.add(o);
      if (added.length > 0) await onAdded.trigger({ origins: added, permissions: [] });
    },
    async revoke(origins) {
      const removed = origins.filter((o) => fake.granted.has(o));
      for (const o of removed) fake.granted.delete(o);
      if (removed.length > 0) await onRemoved.trigger({ origins: removed, permissions: [] });
    },
  };
  Object.assign(browser.permissions, {
    contains: async ({ origins = [], data_collection = [] }: Change) =>
      origins.every((o) => fake.granted.has(o)) && data_collection.every((d) => fake.dataCollection.has(d)),
    getAll: async () => ({
      origins: [...fake.granted],
      permissions: [],
      data_collection: [...fake.dataCollection],
    }),
    request: async ({ origins = [], data_collection = [] }: Change) => {
      fake.requests.push([...origins, ...data_collection]);
      if (fake.answer) {
        for (const d of data_collection) fake.dataCollection.add(d);
        await fake.grant(origins);
      }
      return fake.answer;
    },
    remove: async ({ origins = [] }: Change) => {
      await fake.revoke(origins);
      return true;
    },
    onAdded,
    onRemoved,
  });
  return fake;
}
