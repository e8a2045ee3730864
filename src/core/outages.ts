import type { ServiceId } from './services';
import type { MonitorState } from './types';

/**
 * The outage log: one entry per outage (service, start, end, which signals saw it), bounded to the
 * last 90 days and 500 entries, exportable as CSV.
 */
export interface Outage {
  readonly service: ServiceId;
  readonly start: number;
  /** null while it lasts. */
  readonly end: number | null;
  /** Signals that saw it: 'probes', 'official', 'crowd'. */
  readonly signals: readonly string[];
}

export const OUTAGE_MAX_ENTRIES = 500;
export const OUTAGE_MAX_AGE_MS = 90 * 24 * 60 * 60_000;

export function updateOutages(log: readonly Outage[], next: MonitorState, now: number): Outage[] {
  const out = log.filter((o) => (o.end ?? now) > now - OUTAGE_MAX_AGE_MS).map((o) => ({ ...o }));
  // Offline: nothing can be said; open outages stay open.
  if (next.connectivity === 'online') {
    for (const [id, s] of Object.entries(next.services) as [
      ServiceId,
      MonitorState['services'][ServiceId],
    ][]) {
      if (!s || s.status === 'unknown') continue;
      const open = out.findLastIndex((o) => o.service === id && o.end === null);
      if (s.status === 'down' && open < 0) {
        out.push({
          service: id,
          start: s.since,
          end: null,
          signals: signalsOf(s.reasons.map((r) => r.code)),
        });
      } else if (s.status === 'down' && open >= 0) {
        const o = out[open] as Outage;
        out[open] = {
          ...o,
          signals: [...new Set([...o.signals, ...signalsOf(s.reasons.map((r) => r.code))])],
        };
      } else if (s.status === 'up' && open >= 0 && !s.unstable) {
        // A flapping service's spells of down are one outage: it ends once it is up and stable,
        // when it last came back.
        out[open] = { ...(out[open] as Outage), end: s.since };
      }
    }
  }
  return out.slice(-OUTAGE_MAX_ENTRIES);
}

function signalsOf(codes: readonly string[]): string[] {
  const signals: string[] = [];
  if (codes.includes('attemptsFailed') || codes.includes('recovering')) signals.push('probes');
  if (codes.includes('officialMajor')) signals.push('official');
  if (codes.includes('crowdOutage')) signals.push('crowd');
  return signals;
}

/** RFC 4180 CSV, ISO times in UTC, durations in minutes. */
export function outagesCsv(log: readonly Outage[]): string {
  const rows = [['service', 'start', 'end', 'duration_minutes', 'signals']];
  for (const o of log) {
    rows.push([
      o.service,
      new Date(o.start).toISOString(),
      o.end === null ? '' : new Date(o.end).toISOString(),
      o.end === null ? '' : String(Math.round((o.end - o.start) / 60_000)),
      o.signals.join(' '),
    ]);
  }
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

function csvCell(value: string): string {
  // Quote when needed; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula.
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
