import { OFFICE_LINK_PREFIX } from '../../knowledge/deep-link';
import type { Flow } from '../core/flow';
import { menuFlow } from './menu';

/**
 * An office's own link or QR code (`/start o_<office code>`, `?start=o_<office code>`), printed
 * on its posters: that office serves the chat from now on, and the greeting says so with its
 * address, hours and phone. A link naming no office opens the menu as /start does.
 */
export const officeLinkFlow: Flow = {
  name: 'office',
  deepLinkPrefix: OFFICE_LINK_PREFIX,
  start: async (ctx, arg) => {
    const office = arg ? await ctx.services.offices.fromLink(ctx.identity, arg) : null;
    const menu = await menuFlow.start(ctx);
    if (!office) return menu;
    const welcome = ctx.t('place.welcome', { office: office.name, address: office.address, hours: office.openingHours, phone: office.phone });
    return { ...menu, replies: [{ text: welcome }, ...menu.replies] };
  },
  handle: async (ctx) => menuFlow.start(ctx),
};
