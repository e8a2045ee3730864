// One JSON object per line on stdout, one line per event. Never an address, a client id or a path to a
// user's file beyond the database location the operator gave.

export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;
export type Logger = (event: string, fields?: LogFields, level?: 'info' | 'warn' | 'error') => void;

export const jsonLogger: Logger = (event, fields = {}, level = 'info') => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, event, ...fields })}\n`);
};

export const silentLogger: Logger = () => {};

/** The message of an error, for a log line (no stack: one line per event). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
