import type { Flow, FlowContext, FlowResult } from '../core/flow';
import { LOCALES, type Locale } from '../core/types';
import { backToMenu, menuReply } from './menu';

const isLocale = (value: string | undefined): value is Locale => (LOCALES as readonly (string | undefined)[]).includes(value);

function show(ctx: FlowContext): FlowResult {
  const { t } = ctx;
  return {
    replies: [
      {
        title: t('settings.title'),
        text: `${t('settings.current')}\n${t('settings.chooseLanguage')}`,
        buttons: [
          [
            { label: 'Tiếng Việt', action: 'settings:lang:vi' },
            { label: 'English', action: 'settings:lang:en' },
          ],
          backToMenu(ctx),
        ],
      },
    ],
  };
}

/** Chat settings: the language for now (reminder and topic subscriptions join it later). */
export const settingsFlow: Flow = {
  name: 'settings',
  commands: ['/settings', '/lang', 'cai dat', 'settings', 'ngon ngu', 'language'],
  start: async (ctx, arg) => {
    const wanted = arg?.trim();
    return isLocale(wanted) ? switchTo(ctx, wanted) : show(ctx);
  },
  handle: async (ctx, input) => {
    if (input.kind === 'action') {
      const [, what, value] = input.action.split(':');
      if (what === 'lang' && isLocale(value)) return switchTo(ctx, value);
    }
    return show(ctx);
  },
};

function switchTo(ctx: FlowContext, locale: Locale): FlowResult {
  const t = ctx.translate(locale);
  const next = { ...ctx, locale, t };
  return { replies: [{ text: t('settings.languageChanged') }, menuReply(next, false)], locale, state: null };
}
