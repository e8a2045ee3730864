import { CHANNEL_IDS, type ChannelId } from '../core/services';

/** Every channel: the ticked ones in the user's order, then the rest in catalog order, then the user's apps. */
export function displayOrder(fallbacks: readonly ChannelId[], own: readonly ChannelId[] = []): ChannelId[] {
  return [...fallbacks, ...[...CHANNEL_IDS, ...own].filter((id) => !fallbacks.includes(id))];
}

/** Ticks a channel (it joins the end of the order) or unticks it. */
export function toggleFallback(fallbacks: readonly ChannelId[], id: ChannelId, on: boolean): ChannelId[] {
  const rest = fallbacks.filter((f) => f !== id);
  return on ? [...rest, id] : rest;
}

/** Moves a ticked channel one place up (-1) or down (+1); unchanged at either end. */
export function moveFallback(fallbacks: readonly ChannelId[], id: ChannelId, delta: -1 | 1): ChannelId[] {
  const from = fallbacks.indexOf(id);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= fallbacks.length) return [...fallbacks];
  const next = [...fallbacks];
  next.splice(from, 1);
  next.splice(to, 0, id);
  return next;
}

/** Drag and drop: puts `id` where `target` is, shifting the others toward the place it left. */
export function dropFallback(fallbacks: readonly ChannelId[], id: ChannelId, target: ChannelId): ChannelId[] {
  const from = fallbacks.indexOf(id);
  const to = fallbacks.indexOf(target);
  if (from < 0 || to < 0 || from === to) return [...fallbacks];
  const next = fallbacks.filter((f) => f !== id);
  next.splice(to, 0, id);
  return next;
}
