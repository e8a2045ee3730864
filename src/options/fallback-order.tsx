import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { channelName } from '../core/away-message';
import { type ChannelId, isChannelId } from '../core/services';
import { displayOrder, dropFallback, moveFallback, toggleFallback } from './fallback-list';
import { useSaveStatus } from './save-status';
import { Section, type SettingsSectionProps } from './section';

type Direction = 'up' | 'down';

/**
 * Where to go instead, in order. Ticked channels come first and can be reordered with the arrow
 * buttons (keyboard) or by dragging (pointer); unticked ones are listed after them.
 */
export function FallbackOrderSection({ settings, t, save }: SettingsSectionProps) {
  const { status, track } = useSaveStatus();
  const fallbacks = settings.fallbacks;
  const list = useRef<HTMLOListElement>(null);
  const refocus = useRef<{ id: ChannelId; direction: Direction } | null>(null);
  const dragged = useRef<ChannelId | null>(null);
  const [over, setOver] = useState<ChannelId | null>(null);

  const store = (next: ChannelId[]) => void track(save({ fallbacks: next }));

  // Reordering moves the list item: put focus back on the button that was pressed, or on its
  // sibling when the item reached the end and that button is now disabled.
  useLayoutEffect(() => {
    const pending = refocus.current;
    if (!pending || !list.current) return;
    refocus.current = null;
    const item = list.current.querySelector(`[data-fallback-option="${pending.id}"]`);
    const same = item?.querySelector<HTMLButtonElement>(`[data-move="${pending.direction}"]`);
    const other = item?.querySelector<HTMLButtonElement>(
      `[data-move="${pending.direction === 'up' ? 'down' : 'up'}"]`,
    );
    (same && !same.disabled ? same : other)?.focus();
  });

  const move = (id: ChannelId, direction: Direction) => {
    refocus.current = { id, direction };
    store(moveFallback(fallbacks, id, direction === 'up' ? -1 : 1));
  };

  const endDrag = () => {
    dragged.current = null;
    setOver(null);
  };

  return (
    <Section id="fallbacks" title={t('fallbacksLabel')} hint={t('fallbacksHint')} status={status} t={t}>
      <ol class="fallback-list" ref={list}>
        {displayOrder(
          fallbacks,
          settings.customApps.map((a) => a.id),
        ).map((id) => {
          const index = fallbacks.indexOf(id);
          const ticked = index >= 0;
          const name = channelName(id, t, settings.customApps);
          return (
            <li
              key={id}
              data-fallback-option={id}
              data-ticked={ticked ? '' : undefined}
              data-over={over === id && dragged.current !== id ? '' : undefined}
              draggable={ticked}
              onDragStart={(e) => {
                dragged.current = id;
                e.dataTransfer?.setData('text/plain', id);
                if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
              }}
              onDragOver={(e) => {
                if (!ticked || dragged.current === null) return;
                e.preventDefault();
                if (e.dataTransfer) e.dataTransfer.dropEffect = 'move';
                if (over !== id) setOver(id);
              }}
              onDragLeave={() => {
                if (over === id) setOver(null);
              }}
              onDrop={(e) => {
                e.preventDefault();
                const from = dragged.current ?? e.dataTransfer?.getData('text/plain');
                endDrag();
                if (ticked && isChannelId(from) && from !== id) store(dropFallback(fallbacks, from, id));
              }}
              onDragEnd={endDrag}
            >
              <span class="drag-handle" aria-hidden="true">
                {ticked ? '⠿' : ''}
              </span>
              <label class="fallback-name">
                <input
                  type="checkbox"
                  name="fallback"
                  value={id}
                  checked={ticked}
                  onChange={(e) => store(toggleFallback(fallbacks, id, e.currentTarget.checked))}
                />{' '}
                {name}
              </label>
              <MoveButton
                id={id}
                direction="up"
                label={t('moveUp', [name])}
                disabled={index <= 0}
                onMove={move}
              />
              <MoveButton
                id={id}
                direction="down"
                label={t('moveDown', [name])}
                disabled={!ticked || index === fallbacks.length - 1}
                onMove={move}
              />
            </li>
          );
        })}
      </ol>
    </Section>
  );
}

function MoveButton(props: {
  id: ChannelId;
  direction: Direction;
  label: string;
  disabled: boolean;
  onMove: (id: ChannelId, direction: Direction) => void;
}) {
  const { id, direction, label, disabled, onMove } = props;
  return (
    <button
      type="button"
      class="move"
      data-move={direction}
      aria-label={label}
      title={label}
      disabled={disabled}
      onClick={() => onMove(id, direction)}
    >
      <span aria-hidden="true">{direction === 'up' ? '↑' : '↓'}</span>
    </button>
  );
}
