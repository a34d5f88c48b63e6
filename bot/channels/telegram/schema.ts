import { z } from 'zod';

/**
 * The parts of a Telegram Update the assistant reads, parsed with zod (everything else is
 * ignored). The webhook only insists on `update_id`: a message shape we cannot read is ignored
 * quietly rather than refused, because a refused update is re-sent by Telegram for a day and
 * holds up that chat's queue.
 */
const chatSchema = z.object({ id: z.number().int(), type: z.string() });
const userSchema = z.object({
  id: z.number().int(),
  first_name: z.string().optional(),
  language_code: z.string().optional(),
});

/** Loose, so the message's other fields (photo, sticker, ...) stay visible as unknown keys. */
export const messageSchema = z.looseObject({
  message_id: z.number().int(),
  chat: chatSchema,
  from: userSchema.optional(),
  text: z.string().optional(),
  contact: z
    .object({
      phone_number: z.string(),
      user_id: z.number().int().optional(),
    })
    .optional(),
});

export const callbackQuerySchema = z.object({
  id: z.string(),
  from: userSchema,
  data: z.string().optional(),
  message: z.object({ chat: chatSchema }).optional(),
});

/** What the webhook requires before anything runs: a JSON object with an integer update_id. */
export const updateEnvelopeSchema = z.object({
  update_id: z.number({ error: 'update_id: expected an integer' }).int('update_id: expected an integer').nonnegative('update_id: expected a positive integer'),
});

export const updateSchema = updateEnvelopeSchema.extend({
  message: z.unknown().optional(),
  callback_query: z.unknown().optional(),
});

export type TelegramMessage = z.infer<typeof messageSchema>;
