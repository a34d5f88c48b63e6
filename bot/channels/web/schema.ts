import { z } from 'zod';
import { MAX_ACTION_BYTES } from '../../../vocabulary/replies';

/** One message from the web chat page. Exactly one of text, action or start. */
export const webMessageSchema = z
  .object({
    /** A client-made id, so a message re-sent after a network error is handled once. */
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/, 'id: expected 8-64 characters of A-Z a-z 0-9 _ -')
      .optional(),
    text: z.string().max(4000, 'text: at most 4000 characters').optional(),
    action: z
      .string()
      .min(1, 'action: must not be empty')
      .refine((a) => new TextEncoder().encode(a).length <= MAX_ACTION_BYTES, `action: at most ${MAX_ACTION_BYTES} bytes`)
      .optional(),
    start: z
      .string()
      .max(64, 'start: at most 64 characters')
      .regex(/^[A-Za-z0-9_.-]*$/, 'start: only A-Z a-z 0-9 _ . -')
      .optional(),
  })
  .strict()
  .refine((m) => [m.text, m.action, m.start].filter((v) => v !== undefined).length === 1, {
    message: 'expected exactly one of text, action or start',
  });

export type WebMessage = z.infer<typeof webMessageSchema>;
