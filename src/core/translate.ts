import { formatNumber, type PluralBase, plural, type Translate } from './format';
import type { MessageKey } from './messages';
import type { FailureKind, Reason, ReasonCode } from './types';

/** The shape of a `_locales/<lang>/messages.json` file. */
export type MessageCatalog = Record<
  string,
  {
    message: string;
    description?: string;
    placeholders?: Record<string, { content: string; example?: string }>;
  }
>;

/**
 * `browser.i18n.getMessage` for places without a browser (the Node `check` command, tests): the
 * same rules — named placeholders ($NAME$, case-insensitive) expand to their content, then $1…$9
 * take the substitutions and $$ is a literal dollar.
 */
export function translatorFor(catalog: MessageCatalog): Translate {
  return (key, substitutions = []) => {
    const entry = catalog[key];
    if (!entry) return '';
    const placeholders = new Map(
      Object.entries(entry.placeholders ?? {}).map(([name, p]) => [name.toLowerCase(), p.content]),
    );
    const expanded = entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name: string) => {
      return placeholders.get(name.toLowerCase()) ?? whole;
    });
    return expanded.replace(/\$(\$|[1-9])/g, (_whole, d: string) =>
      d === '$' ? '$' : String(substitutions[Number(d) - 1] ?? ''),
    );
  };
}

const FAILURE_KEYS: Record<FailureKind, MessageKey> = {
  timeout: 'failureTimeout',
  network: 'failureNetwork',
  http: 'failureHttp',
};

const SOURCE_KEYS: Record<string, MessageKey> = {
  probes: 'sourceProbes',
  official: 'sourceOfficial',
  crowd: 'sourceCrowd',
  browsers: 'sourceBrowsers',
};

/**
 * Reasons worded as counted phrases (`reason_<code>_<plural category>`): which argument is the count.
 * The messages take the count as $1 and the other arguments after it, in their order.
 */
const COUNTED_REASONS = {
  attemptsFailed: 1, // failed, total, kind: "5 of 5 attempts"
  attemptsOk: 1, // ok, total
  blip: 1, // failed, total
  recovering: 1, // ok, needed: "1 of 2 confirmations"
  crowdOutage: 0, // reports, usual: "412 reports in 15 min"
} as const satisfies Partial<Record<ReasonCode, number>>;
type CountedReason = keyof typeof COUNTED_REASONS;

const isCounted = (code: ReasonCode): code is CountedReason => Object.hasOwn(COUNTED_REASONS, code);
// Stored reasons are validated only loosely: a count that is not a number reads as zero.
const countOf = (a: string | number | undefined): number => (typeof a === 'number' ? a : 0);

/** A reason in words: "3 of 3 attempts: connection failed", numbers formatted for the locale. */
export function describeReason(reason: Reason, t: Translate, locale: string): string {
  const code = reason.code;
  const words = code === 'disagree' ? SOURCE_KEYS : FAILURE_KEYS;
  const raw = reason.args ?? [];
  const args = raw.map((a) =>
    typeof a === 'number'
      ? formatNumber(a, locale)
      : Object.hasOwn(words, a)
        ? t((words as Record<string, MessageKey>)[a] as MessageKey)
        : a,
  );
  if (isCounted(code)) {
    const counted = COUNTED_REASONS[code];
    const base: PluralBase = `reason_${code}`;
    return plural(
      t,
      locale,
      base,
      countOf(raw[counted]),
      args.filter((_, i) => i !== counted),
    );
  }
  if (code === 'unstable') {
    // "4 changes in 10 checks": two counts, each a counted phrase of its own.
    return t('reason_unstable', [
      plural(t, locale, 'countChanges', countOf(raw[0])),
      plural(t, locale, 'countChecks', countOf(raw[1])),
    ]);
  }
  return t(`reason_${code}`, args);
}
