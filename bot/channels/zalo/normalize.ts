import { normalizeVnPhone } from '../../../lib/phone';
import { MAX_ACTION_BYTES } from '../../../vocabulary/replies';
import type { Inbound, InboundEnvelope } from '../../core/types';
import { ACTION_PAYLOAD_PREFIX, EVENT, UNSUPPORTED_EVENTS } from './protocol';
import { clickButtonEventSchema, followEventSchema, messageEventSchema, submitInfoEventSchema, type ZaloEnvelope } from './schema';

/** What the webhook does with one verified event. */
export type ZaloEvent =
  /** Goes through the dialog. */
  | { type: 'dialog'; envelope: InboundEnvelope }
  /** The user left the OA: nothing proactive is sent until they write again. */
  | { type: 'unfollow'; userId: string; updateId: string }
  /** Acknowledged and logged: an event we do not handle, or one we could not read. */
  | { type: 'ignored'; eventName: string; reason: string };

const ACTION_PATTERN = /^[A-Za-z][\w-]*(:\S*)?$/;

/** A pressed button's payload back into our action string, or null when it is typed text. */
export function actionFromPayload(text: string): string | null {
  if (!text.startsWith(ACTION_PAYLOAD_PREFIX)) return null;
  const action = text.slice(ACTION_PAYLOAD_PREFIX.length);
  if (!ACTION_PATTERN.test(action) || new TextEncoder().encode(action).length > MAX_ACTION_BYTES) return null;
  return action;
}

/** The event's id for handling a redelivery once: msg_id, else name + user + timestamp. */
const eventId = (envelope: ZaloEnvelope, userId: string, msgId?: string) => msgId ?? `${envelope.event_name}:${userId}:${envelope.timestamp}`;

const dialog = (userId: string, updateId: string, message: Inbound, displayName?: string): ZaloEvent => ({
  type: 'dialog',
  envelope: { channel: 'zalo', externalId: userId, updateId, message, ...(displayName ? { displayName } : {}) },
});

/**
 * Maps a verified Zalo event to what the assistant does with it.
 *
 * @example
 * normalizeEvent({ event_name: 'user_send_text', timestamp: '1732240000000' }, body)
 * // { type: 'dialog', envelope: { channel: 'zalo', externalId: '2468...', updateId: 'msg-id', message: { kind: 'text', text: 'xin chào' } } }
 */
export function normalizeEvent(envelope: ZaloEnvelope, body: unknown): ZaloEvent {
  const name = envelope.event_name;
  const unreadable = (issues: string): ZaloEvent => ({ type: 'ignored', eventName: name, reason: `unreadable ${name}: ${issues}` });

  if (name === EVENT.text || UNSUPPORTED_EVENTS.has(name)) {
    const parsed = messageEventSchema.safeParse(body);
    if (!parsed.success) return unreadable(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const { sender, message } = parsed.data;
    const updateId = eventId(envelope, sender.id, message.msg_id);
    if (name !== EVENT.text) return dialog(sender.id, updateId, { kind: 'unsupported', what: name.replace(/^user_send_/, '') });
    const text = message.text ?? '';
    const action = actionFromPayload(text);
    return dialog(sender.id, updateId, action ? { kind: 'action', action } : { kind: 'text', text });
  }

  if (name === EVENT.follow || name === EVENT.unfollow) {
    const parsed = followEventSchema.safeParse(body);
    if (!parsed.success) return unreadable('follower.id is missing');
    const userId = parsed.data.follower.id;
    const updateId = eventId(envelope, userId);
    return name === EVENT.follow ? dialog(userId, updateId, { kind: 'start' }) : { type: 'unfollow', userId, updateId };
  }

  if (name === EVENT.submitInfo) {
    const parsed = submitInfoEventSchema.safeParse(body);
    if (!parsed.success) return unreadable('sender.id or info.phone is missing');
    const { sender, info, message } = parsed.data;
    const updateId = eventId(envelope, sender.id, message?.msg_id);
    const phone = normalizeVnPhone(info.phone);
    // The form's number may be one the user typed (Zalo's docs do not say it cannot be edited):
    // it is a claim like a typed number, and only a one-time code sent to it proves it.
    const contact: Inbound = { kind: 'contact', phone: phone.ok ? phone.value : info.phone, verified: false };
    return dialog(sender.id, updateId, contact, info.name);
  }

  if (name === EVENT.clickButton) {
    const parsed = clickButtonEventSchema.safeParse(body);
    if (!parsed.success) return unreadable('sender.id is missing');
    const { sender, message } = parsed.data;
    const raw = message?.payload ?? message?.text ?? '';
    const action = actionFromPayload(raw) ?? actionFromPayload(`${ACTION_PAYLOAD_PREFIX}${raw}`);
    if (!action) return { type: 'ignored', eventName: name, reason: 'button payload is not one of our actions' };
    return dialog(sender.id, eventId(envelope, sender.id, message?.msg_id), { kind: 'action', action });
  }

  return { type: 'ignored', eventName: name, reason: 'event not handled' };
}
