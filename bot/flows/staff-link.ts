import type { Flow } from '../core/flow';
import { backToMenu } from './menu';

/**
 * `/lienket 12345678`: a staff member links this chat to their console account with the code the
 * console shows, so their test sends of announcements arrive here. Citizens never need it; it is
 * not in the menu.
 */
export const staffLinkFlow: Flow = {
  name: 'stafflink',
  commands: ['/lienket', '/link'],
  start: async (ctx, code) => {
    if (!code) return { replies: [{ text: ctx.t('stafflink.how') }] };
    const claimed = await ctx.services.staffLinks.claim(ctx.identity.id, code);
    if (claimed.ok) return { replies: [{ text: ctx.t('stafflink.linked', { name: claimed.value.staffName }), buttons: [backToMenu(ctx)] }] };
    return { replies: [{ text: ctx.t(claimed.reason === 'rate_limited' ? 'stafflink.rateLimited' : 'stafflink.invalid') }] };
  },
  handle: async (ctx) => staffLinkFlow.start(ctx),
};
