import type { Reply } from '../../vocabulary/replies';
import type { Flow, FlowContext } from '../core/flow';

/** The main menu's buttons; every entry is the name of a flow. */
export function menuReply(ctx: FlowContext, withGreeting: boolean): Reply {
  const { t } = ctx;
  const name = ctx.identity.displayName ? ` ${ctx.identity.displayName}` : '';
  const text = withGreeting ? `${t('menu.greeting', { name })}\n\n${t('menu.prompt')}` : t('menu.prompt');
  return {
    text,
    buttons: [
      [{ label: t('menu.ask'), action: 'ask' }],
      [{ label: t('menu.dossier'), action: 'dossier' }],
      [{ label: t('menu.certify'), action: 'certify' }],
      [
        { label: t('menu.settings'), action: 'settings' },
        { label: t('menu.help'), action: 'help' },
      ],
      [{ label: t('menu.language'), action: `settings:lang:${ctx.locale === 'vi' ? 'en' : 'vi'}` }],
    ],
  };
}

/** Greeting and main menu; "menu" and /start come here and clear whatever was going on. */
export const menuFlow: Flow = {
  name: 'menu',
  commands: ['/start', '/menu', 'menu', 'quay lai', 'bat dau', 'start', 'xin chao', 'chao', 'hello', 'hi'],
  start: async (ctx) => {
    const greeting = menuReply(ctx, true);
    // A chat that paused its notices (/stop) hears so when it comes back, with the button to turn
    // them on again: one tap, and never silently, since the citizen asked for quiet.
    if (!(await ctx.services.notifications.view(ctx.identity)).stopped) return { replies: [greeting], state: null };
    const resume = [{ label: ctx.t('settings.buttonResume'), action: 'settings:resume' }];
    return {
      replies: [{ ...greeting, text: `${greeting.text}\n\n${ctx.t('menu.noticesPaused')}`, buttons: [resume, ...(greeting.buttons ?? [])] }],
      state: null,
    };
  },
  handle: async (ctx) => ({ replies: [menuReply(ctx, false)], state: null }),
};

/** What "huỷ" says it stopped, by the flow that held the dialog; any other flow gets `menu.cancelledOther`. */
const CANCELLED: Record<string, string> = {
  certify: 'menu.cancelledCertify',
  dossier: 'menu.cancelledDossier',
  settings: 'menu.cancelledSettings',
  feedback: 'menu.cancelledFeedback',
};

/** Flows whose state is only what the assistant remembers (the procedure just shown), no task to stop. */
const NOTHING_TO_CANCEL: ReadonlySet<string> = new Set(['ask']);

/**
 * "Huỷ", "cancel" (typed, or the `cancel` action of a cancel button): stops whatever was in
 * progress, says what it stopped, and shows the main menu; with nothing in progress, the menu.
 */
export const cancelFlow: Flow = {
  name: 'cancel',
  commands: ['/cancel', 'huy', 'huy bo', 'cancel'],
  start: async (ctx) => {
    const menu = menuReply(ctx, false);
    if (!ctx.state || NOTHING_TO_CANCEL.has(ctx.state.flow)) return { replies: [menu], state: null };
    return { replies: [{ text: ctx.t(CANCELLED[ctx.state.flow] ?? 'menu.cancelledOther') }, menu], state: null };
  },
  handle: async (ctx) => cancelFlow.start(ctx),
};

/** A button back to the main menu, for the end of every answer. */
export const backToMenu = (ctx: FlowContext) => [{ label: ctx.t('menu.backToMenu'), action: 'menu' }];
