import type { Flow, FlowContext, FlowResult } from '../core/flow';
import { stateOf } from '../core/flow';
import { backToMenu } from './menu';

const chatOf = (ctx: FlowContext) => ({ identityId: ctx.identity.id, citizenId: ctx.identity.citizenId });
const done = (ctx: FlowContext, key: string): FlowResult => ({ replies: [{ text: ctx.t(key), buttons: [backToMenu(ctx)] }], state: null });

/** A rating button from the "returned" notice: `feedback:r:<dossierId>:<1-5>`. */
async function rate(ctx: FlowContext, dossierId: number, rating: number): Promise<FlowResult> {
  const rated = await ctx.services.feedback.rate(chatOf(ctx), dossierId, rating);
  if (!rated.ok) return done(ctx, rated.reason === 'already_rated' ? 'feedback.alreadyRated' : 'feedback.notAllowed');
  return {
    replies: [{ text: ctx.t('feedback.thanks', { rating }), buttons: [[{ label: ctx.t('feedback.skip'), action: 'feedback:skip' }], backToMenu(ctx)] }],
    state: stateOf('feedback', 'comment', { dossierId }),
  };
}

/**
 * Satisfaction survey: when a dossier is returned the notice carries 1-5 buttons; after a
 * rating the citizen may type one comment (or skip). One rating per dossier.
 */
export const feedbackFlow: Flow = {
  name: 'feedback',
  start: async (ctx) => done(ctx, 'feedback.notAllowed'),
  handle: async (ctx, input) => {
    if (input.kind === 'action') {
      const [, verb, id, value] = input.action.split(':');
      if (verb === 'r') {
        const dossierId = Number(id);
        const rating = Number(value);
        if (Number.isInteger(dossierId) && Number.isInteger(rating) && rating >= 1 && rating <= 5) return rate(ctx, dossierId, rating);
      }
      return done(ctx, 'feedback.skipped');
    }
    const dossierId = ctx.state?.flow === 'feedback' ? Number(ctx.state.data.dossierId) : Number.NaN;
    if (input.kind !== 'text' || !Number.isInteger(dossierId)) return done(ctx, 'feedback.skipped');
    // The dialog already cuts messages to 1000 characters, the longest comment kept.
    const saved = await ctx.services.feedback.comment(chatOf(ctx), dossierId, input.text.trim());
    return done(ctx, saved.ok ? 'feedback.commentThanks' : 'feedback.alreadyRated');
  },
};
