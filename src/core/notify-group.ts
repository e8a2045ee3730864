// One alert per outage. The apps of one provider fail together (all of Meta in 2021), and a wide cloud
// outage takes apps of several providers at once: each app is still decided alone (src/core/notify.ts:
// confirmation, flapping, quiet hours, mutes), and this turns their notices into one per outage.
//
// - "down": the apps confirmed down in one check share one notice. An app confirmed down within
//   thresholds.groupJoinMs of an outage's first notice, while that outage goes on, joins it: the same
//   notification (same id) is shown again naming every app still down. Later ones start an outage of
//   their own.
// - "back": one notice when the last app of the outage still down is back, naming the apps of the
//   outage with its whole length (first down to last back). An app back earlier is not news on its
//   own (its row and the badge show it). Muted apps do not keep an outage open.
// - reminders: one per outage and reminder period, naming the apps still down.
// - "unstable" and "only your network" stay one per app: neither says the app is down.

import type { Notice, NoticeKind } from './notify';
import type { ChannelId, ServiceId } from './services';

/** An outage announced and still going on. */
export interface NoticeGroup {
  /** When its first app began to fail: with `lead`, its notices' id. */
  readonly since: number;
  /**
   * The app it began with, fixed for good: its notices keep one id (and so one notification) even
   * when that app comes back and fails again, leaving and rejoining `services`.
   */
  readonly lead: ServiceId;
  /** When its first "down" was shown: apps join it until groupJoinMs after. */
  readonly shownAt: number;
  /** The apps it named, in the order they joined. */
  readonly services: readonly ServiceId[];
  /** When it was last shown again (an app joined) or recalled by a reminder; null: never. */
  readonly remindedAt: number | null;
}

/** Outages remembered at most (each ends when its apps are back; this only bounds stored state). */
const MAX_GROUPS = 8;

export function noticeId(kind: NoticeKind, lead: ServiceId, since: number): string {
  return `${kind}-${lead}-${since}`;
}

export interface GroupContext {
  readonly now: number;
  /** Told as down (its outage announced), after this check. */
  readonly open: (id: ServiceId) => boolean;
  readonly muted: (id: ServiceId) => boolean;
  /** The best working channel instead of this app. */
  readonly fallbackFor: (id: ServiceId) => ChannelId | null;
  readonly joinMs: number;
  /** The reminder period, ms (the apps' own reminders say when one is due at all). */
  readonly reminderMs: number;
}

/** Each app's notices of one check (main app first), as the user gets them: one per outage. */
export function groupNotices(
  perApp: readonly Notice[],
  previous: readonly NoticeGroup[],
  c: GroupContext,
): { notices: Notice[]; groups: NoticeGroup[] } {
  const of = (kind: NoticeKind) => perApp.filter((n) => n.kind === kind);
  const downs = of('down');
  const joining = downs.map((n) => n.service);
  const stillDown = (id: ServiceId) => c.open(id) && !c.muted(id);
  // An app that fails again starts over in its new outage: never in two at once.
  let groups = previous
    .map((g) => ({ ...g, services: g.services.filter((id) => !joining.includes(id)) }))
    .filter((g) => g.services.length > 0);
  // Notices not saying it is down or back, and those of apps in no outage (announced before outages
  // were grouped), stay as they are.
  const notices: Notice[] = perApp.filter(
    (n) =>
      n.kind === 'unstable' ||
      n.kind === 'local' ||
      (n.kind !== 'down' && !groups.some((g) => g.services.includes(n.service))),
  );

  const backs = of('back');
  const over = groups.filter((g) => !g.services.some(stillDown));
  groups = groups.filter((g) => !over.includes(g));
  for (const g of over) {
    // Over: "back" when this check brought one of its apps back (not when the last one still down was
    // muted, or came back while notices were silenced).
    const back = backs.filter((n) => g.services.includes(n.service));
    if (back.length === 0) continue;
    const end = Math.max(...back.map((n) => n.since + n.durationMs));
    const named = g.services.filter((id) => !c.muted(id));
    notices.push(groupNotice('back', g, named, { durationMs: end - g.since, fallback: null }));
  }

  if (downs.length > 0) {
    const latest = groups.at(-1);
    if (latest !== undefined && c.now - latest.shownAt <= c.joinMs) {
      groups = [...groups.slice(0, -1), { ...latest, services: [...latest.services, ...joining] }];
    } else {
      groups = [
        ...groups,
        {
          since: Math.min(...downs.map((n) => n.since)),
          lead: joining[0] as ServiceId,
          shownAt: c.now,
          services: joining,
          remindedAt: null,
        },
      ];
    }
  }
  const reminders = of('reminder');
  groups = groups.map((g) => {
    const named = g.services.filter(stillDown);
    const down = g.services.some((id) => joining.includes(id));
    // Its apps' reminders fall due apart when they joined apart: at most one per reminder period.
    const remind =
      reminders.some((n) => g.services.includes(n.service)) &&
      c.now - (g.remindedAt ?? g.shownAt) >= c.reminderMs;
    if (!down && !remind) return g;
    const lead = named[0] ?? (g.services[0] as ServiceId);
    notices.push(
      groupNotice(down ? 'down' : 'reminder', g, named, {
        durationMs: c.now - g.since,
        fallback: c.fallbackFor(lead),
      }),
    );
    return { ...g, remindedAt: c.now };
  });
  return { notices, groups: groups.slice(-MAX_GROUPS) };
}

function groupNotice(
  kind: NoticeKind,
  g: NoticeGroup,
  named: readonly ServiceId[],
  rest: Pick<Notice, 'durationMs' | 'fallback'>,
): Notice {
  const lead = named[0] ?? (g.services[0] as ServiceId);
  return {
    kind,
    id: noticeId(kind, g.lead, g.since),
    service: lead,
    services: named.length > 0 ? named : [lead],
    since: g.since,
    ...rest,
  };
}
