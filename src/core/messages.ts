// The typed list of UI message keys: the English catalog is the source of truth, and a test checks
// that every locale has the same keys and placeholders.
import type en from '../../_locales/en/messages.json';

export type MessageKey = keyof typeof en;
