import type { Reply } from '../../vocabulary/replies';
import type { Flow, FlowContext } from '../core/flow';
import { backToMenu } from './menu';

/** What the assistant can do and how to use it. */
export const helpReply = (ctx: FlowContext): Reply => ({ title: ctx.t('help.title'), text: ctx.t('help.body'), buttons: [backToMenu(ctx)] });

export const helpFlow: Flow = {
  name: 'help',
  commands: ['/help', 'help', 'huong dan', 'tro giup', 'giup'],
  start: async (ctx) => ({ replies: [helpReply(ctx)] }),
  handle: async (ctx) => helpFlow.start(ctx),
};
