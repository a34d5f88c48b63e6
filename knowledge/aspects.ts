/**
 * The names the conversation uses for what a citizen asks, shared by the understanding
 * (knowledge/understand.ts), the cards (bot/flows/ask-card.ts) and the tests.
 */

/** The parts of a procedure a follow-up can ask about; each has its own section of the card. */
export const ASPECTS = ['fee', 'time', 'papers', 'where', 'online', 'forms', 'who'] as const;
export type Aspect = (typeof ASPECTS)[number];

/**
 * Everyday talk the assistant answers without a procedure: the lexicon in
 * knowledge/data/intents.json says how citizens say each one, in Vietnamese and English.
 */
export const INTENTS = [
  'greeting',
  'thanks',
  'goodbye',
  'acknowledge',
  'praise',
  'complaint',
  'insult',
  'human',
  'hours',
  'address',
  'phone',
  'weekend',
  'rate',
  'capabilities',
  'lost_code',
  'dossier_lookup',
] as const;
export type Intent = (typeof INTENTS)[number];
