import type { Translate } from './format';
import type { MessageKey } from './messages';
import type { FailureKind, Reason } from './types';

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
};

/** A reason in words: "3 of 3 attempts: connection failed". */
export function describeReason(reason: Reason, t: Translate): string {
  const words = reason.code === 'disagree' ? SOURCE_KEYS : FAILURE_KEYS;
  const args = (reason.args ?? []).map((a) =>
    typeof a === 'string' && Object.hasOwn(words, a)
      ? t((words as Record<string, MessageKey>)[a] as MessageKey)
      : a,
  );
  return t(`reason_${reason.code}`, args);
}
