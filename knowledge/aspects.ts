/**
 * The names the conversation uses for what a citizen asks, shared by the understanding
 * (knowledge/understand.ts), the cards (bot/flows/ask-card.ts) and the tests.
 */

/** The parts of a procedure a follow-up can ask about; each has its own section of the card. */
export const ASPECTS = ['fee', 'time', 'papers', 'where', 'online', 'forms', 'who'] as const;
export type Aspect = (typeof ASPECTS)[number];

/**
 * Everyday talk the assistant answers without a procedure: the lexicon in
 * knowledge/data/intents.json says how citizens say each one, in Vietnamese and English. Listed
 * by precedence: when a message holds several, the first listed here is the one answered (the
 * specific need before the courtesy: "chào em, cho hỏi giờ làm việc" is a question about hours).
 */
export const INTENTS = [
  'lost_code',
  'dossier_lookup',
  'human',
  'weekend',
  'hours',
  'address',
  'phone',
  'rate',
  'capabilities',
  'complaint',
  'insult',
  'thanks',
  'praise',
  'goodbye',
  'greeting',
  'acknowledge',
] as const;
export type Intent = (typeof INTENTS)[number];
