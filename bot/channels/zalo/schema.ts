import { z } from 'zod';

/**
 * Zalo webhook events, parsed at the edge. Ids are long numeric strings and must stay strings
 * (as numbers they lose precision), so a numeric id fails the schema. Field names follow the
 * official-via-copy envelopes in docs/channels/zalo.md; the ones marked UNCONFIRMED there are
 * read leniently (optional, extra fields allowed).
 */
const id = z.string().min(1, 'expected an id').max(64, 'id too long');
const who = z.object({ id }).loose();

/** What every event carries; the signature covers `timestamp` as it appears in the body. */
export const envelopeSchema = z
  .object({
    event_name: z.string().min(1, 'event_name is required'),
    timestamp: z.union([z.string().regex(/^\d{10,16}$/, 'timestamp must be epoch milliseconds'), z.number().int().positive()]).transform(String),
  })
  .loose();

/** user_send_text, user_send_image, ... : the user's OA-scoped id is sender.id. */
export const messageEventSchema = z
  .object({
    sender: who,
    message: z.object({ msg_id: z.string().min(1), text: z.string().optional() }).loose(),
  })
  .loose();

/** follow / unfollow use another envelope: follower.id instead of sender.id. */
export const followEventSchema = z.object({ follower: who }).loose();

/** The user answered a request_user_info card. `info` field list UNCONFIRMED beyond name and phone. */
export const submitInfoEventSchema = z
  .object({
    sender: who,
    info: z.object({ phone: z.string().min(1), name: z.string().optional() }).loose(),
    message: z.object({ msg_id: z.string().optional() }).loose().optional(),
  })
  .loose();

/** user_click_button: shape UNCONFIRMED; the payload is looked for in message.payload or message.text. */
export const clickButtonEventSchema = z
  .object({
    sender: who,
    message: z.object({ msg_id: z.string().optional(), payload: z.string().optional(), text: z.string().optional() }).loose().optional(),
  })
  .loose();

export type ZaloEnvelope = z.infer<typeof envelopeSchema>;
