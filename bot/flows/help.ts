import type { Flow } from '../core/flow';
import { backToMenu } from './menu';

export const helpFlow: Flow = {
  name: 'help',
  commands: ['/help', 'help', 'huong dan', 'tro giup', 'giup'],
  start: async (ctx) => ({ replies: [{ title: ctx.t('help.title'), text: ctx.t('help.body'), buttons: [backToMenu(ctx)] }] }),
  handle: async (ctx) => helpFlow.start(ctx),
};
