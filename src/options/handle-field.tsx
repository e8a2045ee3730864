import { useState } from 'preact/hooks';
import { type HandleChannel, isValidHandle } from '../core/contacts';
import type { Translate } from '../core/format';
import type { MessageKey } from '../core/messages';

export const HANDLE_LABELS: Record<HandleChannel, MessageKey> = {
  telegram: 'handleTelegram',
  signal: 'handleSignal',
  whatsapp: 'handleWhatsapp',
  phone: 'handlePhone',
  sms: 'handleSms',
  email: 'handleEmail',
};

const INPUT_TYPES: Record<HandleChannel, string> = {
  telegram: 'text',
  signal: 'tel',
  whatsapp: 'tel',
  phone: 'tel',
  sms: 'tel',
  email: 'email',
};

/** The message for a handle that fails its channel's rule; empty is allowed (no handle). */
export function handleErrorKey(channel: HandleChannel, value: string): MessageKey | null {
  if (value.trim() === '' || isValidHandle(channel, value)) return null;
  if (channel === 'telegram') return 'invalidTelegram';
  if (channel === 'email') return 'invalidEmail';
  return 'invalidPhone';
}

/** The handle as stored: trimmed, or undefined when empty or invalid. */
export function validHandle(channel: HandleChannel, value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed !== '' && isValidHandle(channel, trimmed) ? trimmed : undefined;
}

/** One handle input, checked against its channel's rule. */
export function HandleField(props: {
  id: string;
  channel: HandleChannel;
  value: string;
  t: Translate;
  onInput: (value: string) => void;
  onCommit: (value: string) => void;
}) {
  const { channel, ...rest } = props;
  return (
    <CheckedField
      {...rest}
      name={channel}
      type={INPUT_TYPES[channel]}
      label={props.t(HANDLE_LABELS[channel])}
      problem={(value) => handleErrorKey(channel, value)}
    />
  );
}

/**
 * A text input whose problem (in words) shows once the user has left the field (change/blur) and
 * then follows the value, so it disappears as soon as the value is fixed.
 */
export function CheckedField(props: {
  id: string;
  name: string;
  type: string;
  label: string;
  value: string;
  problem: (value: string) => MessageKey | null;
  t: Translate;
  onInput: (value: string) => void;
  onCommit: (value: string) => void;
}) {
  const { id, name, type, label, value, problem, t, onInput, onCommit } = props;
  const [left, setLeft] = useState(false);
  const error = left ? problem(value) : null;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={type}
        dir="ltr"
        autocomplete="off"
        spellcheck={false}
        value={value}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onInput={(e) => onInput(e.currentTarget.value)}
        onChange={(e) => {
          setLeft(true);
          onCommit(e.currentTarget.value);
        }}
        onBlur={() => setLeft(true)}
      />
      {error && (
        <p class="error field-error" id={`${id}-error`}>
          {t(error)}
        </p>
      )}
    </div>
  );
}
