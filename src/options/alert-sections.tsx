import { useState } from 'preact/hooks';
import { formatClock, plural, type Translate } from '../core/format';
import { numberFormat } from '../core/intl-cache';
import { ALERT_ON, type Settings } from '../core/settings';
import type { Snapshot } from '../core/snapshot';
import type { Connector } from '../ui/connector';
import { useSaveStatus } from './save-status';
import { Section, type SettingsSectionProps } from './section';

export const REMINDER_CHOICES = [0, 30, 60, 120, 240] as const;
const MIN_REMINDER_MINUTES = 30;
const MAX_REMINDER_MINUTES = 24 * 60;

/** "Never", "30 min", "1 hr": whole hours in the locale's own unit, the rest in minutes. */
export function reminderLabel(minutes: number, t: Translate, locale: string): string {
  if (minutes === 0) return t('reminderOff');
  if (minutes % 60 !== 0) return plural(t, locale, 'durationMinutes', minutes);
  return numberFormat(locale, { style: 'unit', unit: 'hour', unitDisplay: 'short' }).format(minutes / 60);
}

const ALERT_ON_WORDS = { both: 'alertOnBoth', down: 'alertOnDown', back: 'alertOnBack' } as const;

/** Which alerts to send: when apps go down (and reminders), when they are back, or both. */
export function AlertOnSection({ settings, t, save }: SettingsSectionProps) {
  const { status, track } = useSaveStatus();
  return (
    <Section id="alert-on" title={t('alertOnLabel')} status={status} t={t}>
      <select
        name="alertOn"
        aria-labelledby="alert-on-legend"
        value={settings.alertOn}
        onChange={(e) => {
          const value = e.currentTarget.value;
          const choice = ALERT_ON.find((a) => a === value);
          if (choice) void track(save({ alertOn: choice }));
        }}
      >
        {ALERT_ON.map((a) => (
          <option key={a} value={a}>
            {t(ALERT_ON_WORDS[a])}
          </option>
        ))}
      </select>
    </Section>
  );
}

/** Reminders while a service stays down. A stored value outside the usual choices stays selectable. */
export function ReminderSection({ settings, t, save, locale }: SettingsSectionProps & { locale: string }) {
  const { status, track } = useSaveStatus();
  const current = settings.reminderMinutes;
  const choices: readonly number[] = REMINDER_CHOICES.includes(current as (typeof REMINDER_CHOICES)[number])
    ? REMINDER_CHOICES
    : [...REMINDER_CHOICES, current].sort((a, b) => a - b);
  return (
    <Section id="reminders" title={t('reminderLabel')} status={status} t={t}>
      <select
        name="reminderMinutes"
        aria-labelledby="reminders-legend"
        value={String(current)}
        onChange={(e) => {
          const minutes = Number(e.currentTarget.value);
          const valid =
            minutes === 0 ||
            (Number.isInteger(minutes) && minutes >= MIN_REMINDER_MINUTES && minutes <= MAX_REMINDER_MINUTES);
          if (valid) void track(save({ reminderMinutes: minutes }));
        }}
      >
        {choices.map((m) => (
          <option key={m} value={String(m)}>
            {reminderLabel(m, t, locale)}
          </option>
        ))}
      </select>
    </Section>
  );
}

type QuietHours = NonNullable<Settings['quietHours']>;

export const DEFAULT_QUIET_HOURS: QuietHours = { start: 22 * 60, end: 7 * 60 };

/** "22:00" → 1320; null for anything that is not a time of day. */
export function minutesOfTime(value: string): number | null {
  const match = /^(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(value);
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  return hours < 24 && minutes < 60 ? hours * 60 + minutes : null;
}

/** 1320 → "22:00", the value an `<input type="time">` takes. */
export function timeOfMinutes(minutes: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/**
 * Quiet hours: no notifications between two local times (the range may cross midnight). The times
 * stay on the page while the box is unticked, so ticking it again brings back the user's range.
 */
export function QuietHoursSection({ settings, t, save }: SettingsSectionProps) {
  const { status, track } = useSaveStatus();
  const [range, setRange] = useState<QuietHours>(() => settings.quietHours ?? DEFAULT_QUIET_HOURS);
  const enabled = settings.quietHours !== null;
  // The saved range while quiet hours are on (it may have changed elsewhere), else the remembered one.
  const shown = settings.quietHours ?? range;

  const setTime = (which: 'start' | 'end', value: string) => {
    const minutes = minutesOfTime(value);
    // A half-typed or cleared time: keep the saved range until the field holds a time again.
    if (minutes === null) return;
    const next = { ...shown, [which]: minutes };
    setRange(next);
    if (enabled) void track(save({ quietHours: next }));
  };
  const toggle = (on: boolean) => {
    setRange(shown);
    void track(save({ quietHours: on ? shown : null }));
  };

  return (
    <Section id="quiet" title={t('quietHoursLabel')} status={status} t={t}>
      <div class="time-range">
        <label class="switch">
          <input
            type="checkbox"
            name="quietHours"
            checked={enabled}
            onChange={(e) => toggle(e.currentTarget.checked)}
          />{' '}
          <span id="quiet-between">{t('quietHoursEnable')}</span>
        </label>
        <input
          type="time"
          name="quietStart"
          aria-labelledby="quiet-legend quiet-between"
          value={timeOfMinutes(shown.start)}
          disabled={!enabled}
          onChange={(e) => setTime('start', e.currentTarget.value)}
        />
        <span id="quiet-and">{t('quietHoursAnd')}</span>
        <input
          type="time"
          name="quietEnd"
          aria-labelledby="quiet-legend quiet-and"
          value={timeOfMinutes(shown.end)}
          disabled={!enabled}
          onChange={(e) => setTime('end', e.currentTarget.value)}
        />
      </div>
    </Section>
  );
}

const HOUR = 60 * 60_000;
const MORNING_HOUR = 8;

/** The next 08:00 on this computer's clock: today's when it is still early, else tomorrow's. */
export function nextMorning(now: number): number {
  const at = new Date(now);
  at.setHours(MORNING_HOUR, 0, 0, 0);
  if (at.getTime() <= now) at.setDate(at.getDate() + 1);
  return at.getTime();
}

/** Pauses notifications for a while; the background keeps the time, and the page shows it from storage. */
export function SnoozeSection(props: {
  connector: Connector;
  snapshot: Snapshot;
  setSnapshot: (s: Snapshot) => void;
  t: Translate;
  locale: string;
}) {
  const { connector, snapshot, setSnapshot, t, locale } = props;
  const { status, track } = useSaveStatus();
  const until = snapshot.snoozedUntil;

  const snooze = (at: number | null) => {
    void track(connector.snooze(at).then(() => connector.getState().then(setSnapshot)));
  };

  return (
    <Section id="snooze" title={t('snoozeLabel')} status={status} t={t}>
      {until !== null && (
        <p class="snoozed" data-snoozed-until={until}>
          {t('snoozedUntil', [formatClock(until, locale)])}
        </p>
      )}
      <div class="buttons">
        <button type="button" data-action="snooze-hour" onClick={() => snooze(Date.now() + HOUR)}>
          {t('snoozeHour')}
        </button>
        <button type="button" data-action="snooze-morning" onClick={() => snooze(nextMorning(Date.now()))}>
          {t('snoozeTomorrow')}
        </button>
        {until !== null && (
          <button type="button" data-action="snooze-resume" onClick={() => snooze(null)}>
            {t('snoozeResume')}
          </button>
        )}
      </div>
    </Section>
  );
}
