// The user's own apps: a name, an address to check, an optional Atlassian Statuspage and an optional
// link to open it. Checked and shown like the catalog's services, on this device only: never reported
// to the feed, never in observations (the feed and its server know catalog ids only).

import { INVALID, isRecord, type Read } from './plain-read';
import { type CustomAppId, isCustomAppId, SERVICE_IDS, SERVICE_NAMES } from './services';

export interface CustomApp {
  readonly id: CustomAppId;
  readonly name: string;
  /** The https address probed (HEAD, no cookies), like a catalog probe. */
  readonly url: string;
  /** An Atlassian Statuspage `…/api/v2/summary.json` (or status.json), or null. */
  readonly statusUrl: string | null;
  /** Where "open" goes when it is a fallback; null opens `url`. */
  readonly openUrl: string | null;
}

/** Enough for a family's or an office's own tools; each one costs a probe per check. */
export const MAX_CUSTOM_APPS = 10;
export const MAX_NAME_LENGTH = 40;
const MAX_URL_LENGTH = 2048;

/** What is wrong with one field of the form, as a code the settings page words (`customError_<code>`). */
export type CustomAppProblem =
  | 'nameMissing'
  | 'nameTooLong'
  | 'duplicate'
  | 'tooMany'
  | 'notUrl'
  | 'notHttps'
  | 'notStatuspage';
export type CustomAppField = 'customName' | 'customUrl' | 'customStatusUrl' | 'customOpenUrl';
export interface CustomAppDraft {
  readonly name: string;
  readonly url: string;
  readonly statusUrl: string;
  readonly openUrl: string;
}

/** An https URL without user name or password, or why not. */
export function httpsProblem(value: string): 'notUrl' | 'notHttps' | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'notUrl';
  }
  if (value.length > MAX_URL_LENGTH || url.username || url.password) return 'notUrl';
  return url.protocol === 'https:' ? null : 'notHttps';
}

/** The path an Atlassian Statuspage v2 document ends in: the one rule for every status URL a user gives. */
export const STATUSPAGE_PATH = /\/api\/v2\/(summary|status)\.json$/;

function statusUrlProblem(value: string): CustomAppProblem | null {
  return httpsProblem(value) ?? (STATUSPAGE_PATH.test(new URL(value).pathname) ? null : 'notStatuspage');
}

/** Lower-case Latin letters and digits joined by `-`, accents dropped; other scripts give 'app'. */
export function slugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 30)
    .replace(/-+$/, '');
  return slug === '' ? 'app' : slug;
}

/** `custom-<slug>`, with `-2`, `-3`… when the id is taken. */
export function customAppId(name: string, taken: readonly string[]): CustomAppId {
  const base = `custom-${slugOf(name)}` as const;
  let id: CustomAppId = base;
  for (let n = 2; taken.includes(id); n++) id = `${base}-${n}`;
  return id;
}

const sameName = (a: string, b: string) => a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();

/** Every problem of a draft, per field; empty when it can be added. */
export function customAppProblems(
  draft: CustomAppDraft,
  existing: readonly CustomApp[],
): Partial<Record<CustomAppField, CustomAppProblem>> {
  const out: Partial<Record<CustomAppField, CustomAppProblem>> = {};
  const name = draft.name.trim();
  const names = [...SERVICE_IDS.map((id) => SERVICE_NAMES[id]), ...existing.map((a) => a.name)];
  if (existing.length >= MAX_CUSTOM_APPS) out.customName = 'tooMany';
  else if (name === '') out.customName = 'nameMissing';
  else if (name.length > MAX_NAME_LENGTH) out.customName = 'nameTooLong';
  else if (names.some((n) => sameName(n, name))) out.customName = 'duplicate';
  const url = draft.url.trim();
  const urlProblem = url === '' ? 'notUrl' : httpsProblem(url);
  if (urlProblem) out.customUrl = urlProblem;
  else if (existing.some((a) => a.url === new URL(url).href)) out.customUrl = 'duplicate';
  const statusUrl = draft.statusUrl.trim();
  const statusProblem = statusUrl === '' ? null : statusUrlProblem(statusUrl);
  if (statusProblem) out.customStatusUrl = statusProblem;
  const openUrl = draft.openUrl.trim();
  const openProblem = openUrl === '' ? null : httpsProblem(openUrl);
  if (openProblem) out.customOpenUrl = openProblem;
  return out;
}

/** The app a valid draft makes (call customAppProblems first). */
export function customAppOfDraft(draft: CustomAppDraft, existing: readonly CustomApp[]): CustomApp {
  const optionalUrl = (value: string) => (value.trim() === '' ? null : new URL(value.trim()).href);
  return {
    id: customAppId(
      draft.name,
      existing.map((a) => a.id),
    ),
    name: draft.name.trim(),
    url: new URL(draft.url.trim()).href,
    statusUrl: optionalUrl(draft.statusUrl),
    openUrl: optionalUrl(draft.openUrl),
  };
}

// Reading is on the popup's first paint, so it checks with two compact patterns what the form (above)
// made: an address as `new URL(…).href` spells it, https, a host without user name or password, no
// spaces; a status page ending in the Statuspage path.
const HTTPS = /^https:\/\/[^\s/@]+\/\S{0,2000}$/;
const readUrl = (x: unknown): string | null => (typeof x === 'string' && HTTPS.test(x) ? x : null);
const readStatusUrl = (x: unknown): string | null => {
  const url = readUrl(x);
  return url !== null && STATUSPAGE_PATH.test(url) ? url : null;
};

/** Item by item: a bad app is dropped, not the list; ids stay unique; at most MAX_CUSTOM_APPS. */
export const readCustomApps: Read<CustomApp[]> = (raw) => {
  if (!Array.isArray(raw)) return INVALID;
  const out: CustomApp[] = [];
  for (const item of raw) {
    const { id, name, url, statusUrl, openUrl } = isRecord(item) ? item : {};
    const checked = readUrl(url);
    const named = typeof name === 'string' && name.trim() !== '' && name.length <= MAX_NAME_LENGTH;
    if (
      named &&
      checked &&
      isCustomAppId(id) &&
      out.length < MAX_CUSTOM_APPS &&
      !out.some((a) => a.id === id)
    )
      out.push({
        id,
        name,
        url: checked,
        statusUrl: readStatusUrl(statusUrl),
        openUrl: readUrl(openUrl),
      });
  }
  return out;
};
