// `npm run check`: the same sources and core the extension runs, from this machine, once, for every
// service in the catalog. Prints a table (service, verdict, latency, why). Exit code 0 whatever the
// verdicts: this is a diagnostic, not a test.
import { readFileSync } from 'node:fs';
import { CATALOG } from '../src/core/catalog';
import { SERVICE_IDS } from '../src/core/services';
import { DEFAULT_SETTINGS } from '../src/core/settings';
import { INITIAL_RECORD, step } from '../src/core/step';
import { DEFAULT_THRESHOLDS } from '../src/core/thresholds';
import { describeReason, type MessageCatalog, translatorFor } from '../src/core/translate';
import { realTimer } from '../src/sources/http';
import { observeAll } from '../src/sources/registry';

const en = JSON.parse(
  readFileSync(new URL('../_locales/en/messages.json', import.meta.url), 'utf8'),
) as MessageCatalog;
const t = translatorFor(en);

const started = performance.now();
process.stderr.write(
  `Probing ${SERVICE_IDS.length} services and 2 connectivity controls from this machine…\n`,
);
const settings = { ...DEFAULT_SETTINGS, watched: SERVICE_IDS };
const env = {
  fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init),
  clock: () => performance.now(),
  setTimer: realTimer,
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};
const observations = await observeAll(env, {
  thresholds: DEFAULT_THRESHOLDS,
  settings,
  record: INITIAL_RECORD,
  onLine: true,
  // Node has no CORS: every status code is readable, and the captive-portal check can run.
  canRead: () => true,
  now: Date.now(),
});
// The extension's own step, from a fresh start: the verdicts a new install would show.
const { state } = step({
  record: INITIAL_RECORD,
  observations,
  settings,
  now: Date.now(),
  localMinutes: 0,
  thresholds: DEFAULT_THRESHOLDS,
  wording: { t, locale: 'en' },
  // A diagnostic shares nothing: no observer, so no observation is planned.
  observer: null,
  jitter: 0,
}).record;

const rows = SERVICE_IDS.map((id) => {
  const s = state.services[id];
  return [
    CATALOG[id].name,
    s?.status ?? 'unknown',
    s?.latencyMs === null || s?.latencyMs === undefined ? '—' : `${s.latencyMs} ms`,
    (s?.reasons ?? []).map((r) => describeReason(r, t, 'en')).join('; '),
  ];
});
const header = ['service', 'verdict', 'latency', 'why'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (cells: string[]) =>
  cells
    .map((c, i) => c.padEnd(widths[i] ?? 0))
    .join('  ')
    .trimEnd();

const connection = {
  online: 'online',
  offline: 'OFFLINE: this machine cannot reach the internet, so nothing can be said about the services',
  captive: 'CAPTIVE PORTAL: a Wi-Fi login page intercepts requests',
}[state.connectivity];
console.log(
  `connection: ${connection} (${state.connectivityReasons.map((r) => describeReason(r, t, 'en')).join('; ')})`,
);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
process.stderr.write(`done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
