import type { Flow } from '../core/flow';
import { backToMenu } from './menu';

/**
 * A menu entry whose capability is not built yet: it answers politely instead of failing.
 * Replace it in flows/index.ts when the real flow lands.
 */
export function comingSoon(name: string, labelKey: string): Flow {
  const flow: Flow = {
    name,
    start: async (ctx) => ({
      replies: [{ text: ctx.t('common.comingSoon', { feature: ctx.t(labelKey).replace(/^\P{L}+/u, '') }), buttons: [backToMenu(ctx)] }],
      state: null,
    }),
    handle: async (ctx) => flow.start(ctx),
  };
  return flow;
}
