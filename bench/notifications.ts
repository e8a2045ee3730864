import type { Notice } from '../src/core/notify';
import type { ServiceId } from '../src/core/services';
import { createSimulation, healthyLatency, random, SIM_EPOCH } from './simulate';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const HOSTS: Record<string, ServiceId> = {
  'web.whatsapp.com': 'whatsapp',
  'web.telegram.org': 'telegram',
  'updates.signal.org': 'signal',
};

interface Window {
  readonly service: ServiceId;
  readonly from: number;
  readonly to: number;
}

/**
 * A simulated month of the default watched set with realistic noise: 3 % of attempts fail at random,
 * 40 short blips (2–3 s of failures), two real outages (WhatsApp 2 h, Telegram 45 min), one
 * flapping hour (Signal unreachable 40 s out of every 80 s), and a first fix that does not hold
 * (WhatsApp down 100 s, back for 90 s, then down for 40 min: about 3 checks down, 2 up, then down).
 * Counts the notifications Detour sends next to a naive notifier (one request a minute, a
 * notification at every change), and how long the relapse took to turn WhatsApp down (red).
 */
export async function notificationMonth(seed = 11) {
  const rnd = random(seed);
  const relapseAt = 26 * DAY + 10 * 60 * MIN;
  const relapse: Window[] = [
    { service: 'whatsapp', from: relapseAt, to: relapseAt + 100_000 },
    { service: 'whatsapp', from: relapseAt + 190_000, to: relapseAt + 190_000 + 40 * MIN },
  ];
  const outages: Window[] = [
    { service: 'whatsapp', from: 8 * DAY + 14 * 60 * MIN, to: 8 * DAY + 16 * 60 * MIN },
    { service: 'telegram', from: 20 * DAY + 9.5 * 60 * MIN, to: 20 * DAY + 10.25 * 60 * MIN },
    ...relapse,
  ];
  const second = relapse[1] as Window;
  const flap: Window = { service: 'signal', from: 14 * DAY + 18 * 60 * MIN, to: 14 * DAY + 19 * 60 * MIN };
  const services: ServiceId[] = ['whatsapp', 'telegram', 'signal'];
  const blips: Window[] = Array.from({ length: 40 }, () => {
    const from = Math.floor(rnd() * 30 * DAY);
    return { service: services[Math.floor(rnd() * 3)] as ServiceId, from, to: from + 2000 + rnd() * 1000 };
  });
  const failing = (service: ServiceId, t: number): boolean =>
    outages.some((o) => o.service === service && t >= o.from && t < o.to) ||
    blips.some((b) => b.service === service && t >= b.from && t < b.to) ||
    (service === flap.service &&
      t >= flap.from &&
      t < flap.to &&
      Math.floor((t - flap.from) / 40_000) % 2 === 0);

  const sim = createSimulation((url, now) => {
    const service = HOSTS[new URL(url).hostname];
    if (service && failing(service, now)) return { outcome: 'network', latencyMs: 30 };
    return rnd() < 0.03
      ? { outcome: 'network', latencyMs: 30 }
      : { outcome: 'ok', latencyMs: healthyLatency(rnd) };
  }, services);

  const sent: Notice[] = [];
  let nextAt = 0;
  // The relapse's second outage: checks that began after it did, until the first that says down.
  let relapseChecks = 0;
  let relapseRedMs: number | null = null;
  while (sim.vt.now < 30 * DAY) {
    sim.vt.advanceTo(nextAt);
    const checkStart = sim.vt.now;
    const r = await sim.check();
    nextAt = r.nextAt;
    if (relapseRedMs === null && checkStart >= second.from) {
      relapseChecks++;
      if (r.state.services.whatsapp?.status === 'down') relapseRedMs = sim.vt.now - second.from;
    }
    sent.push(...r.notices);
  }

  // The naive notifier: one attempt per service a minute, a notification at every change.
  const naiveRnd = random(seed + 1);
  let naive = 0;
  for (const service of services) {
    let wasDown = false;
    for (let t = 0; t < 30 * DAY; t += MIN) {
      const down = failing(service, t) || naiveRnd() < 0.03;
      if (down !== wasDown) naive++;
      wasDown = down;
    }
  }
  const count = (kind: Notice['kind']) => sent.filter((n) => n.kind === kind).length;
  return {
    sent: sent.length,
    down: count('down'),
    back: count('back'),
    unstable: count('unstable'),
    naive,
    // Each outage (the relapse is two) and its recovery, and one "unstable" for the flapping hour.
    expected: outages.length * 2 + 1,
    relapseRedSeconds: relapseRedMs === null ? Number.NaN : relapseRedMs / 1000,
    relapseRedChecks: relapseChecks,
    detail: sent.map((n) => `${n.kind} ${n.service} day ${((n.since - SIM_EPOCH) / DAY).toFixed(2)}`),
  };
}

const META_HOSTS: Record<string, ServiceId> = {
  'web.whatsapp.com': 'whatsapp',
  'www.messenger.com': 'messenger',
  'www.instagram.com': 'instagram',
  'web.telegram.org': 'telegram',
};

/**
 * The Meta outage of 4 October 2021 (about 6 h), for a user who watches WhatsApp, Messenger, Instagram
 * and Telegram, with the month's noise (3 % of attempts fail at random). Each Meta app starts failing a
 * few seconds apart, as a resolver's cache expires, and recovers minutes apart. Counts the
 * notifications Detour shows: one down (updated as the last app joins it) and one back, where one per
 * app would be six.
 */
export async function metaOutage(seed = 21) {
  const rnd = random(seed);
  const start = 2 * 60 * MIN;
  const meta: ServiceId[] = ['whatsapp', 'messenger', 'instagram'];
  const from = Object.fromEntries(meta.map((id, i) => [id, start + i * 20_000]));
  const to = Object.fromEntries(meta.map((id, i) => [id, start + 6 * 60 * MIN + i * 4 * MIN]));
  const sim = createSimulation(
    (url, now) => {
      const service = META_HOSTS[new URL(url).hostname];
      const down = service !== undefined && now >= (from[service] ?? 0) && now < (to[service] ?? 0);
      if (down || rnd() < 0.03) return { outcome: 'network', latencyMs: 30 };
      return { outcome: 'ok', latencyMs: healthyLatency(rnd) };
    },
    [...meta, 'telegram'],
  );
  const sent: Notice[] = [];
  let nextAt = 0;
  while (sim.vt.now < 12 * 60 * MIN) {
    sim.vt.advanceTo(nextAt);
    const r = await sim.check();
    nextAt = r.nextAt;
    sent.push(...r.notices);
  }
  return {
    // Notifications the user sees: an app that joins the outage replaces its notice (same id).
    notifications: new Set(sent.map((n) => n.id)).size,
    updates: sent.length - new Set(sent.map((n) => n.id)).size,
    perApp: meta.length * 2,
    detail: sent.map(
      (n) => `${n.kind} ${n.services.join('+')} at ${((n.since - SIM_EPOCH) / MIN).toFixed(1)} min`,
    ),
  };
}
