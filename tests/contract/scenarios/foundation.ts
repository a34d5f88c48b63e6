import { expect } from 'vitest';
import type { Translate } from '../../../bot/core/flow';
import type { SeenReply } from '../drivers/types';
import type { Scenario } from './types';

const menuButtons = (t: Translate, other: 'vi' | 'en') => [
  [{ label: t('menu.ask'), action: 'ask' }],
  [{ label: t('menu.dossier'), action: 'dossier' }],
  [{ label: t('menu.certify'), action: 'certify' }],
  [
    { label: t('menu.settings'), action: 'settings' },
    { label: t('menu.help'), action: 'help' },
  ],
  [{ label: t('menu.language'), action: `settings:lang:${other}` }],
];

const backToMenu = (t: Translate) => [[{ label: t('menu.backToMenu'), action: 'menu' }]];

/** The action of the button labelled `label` in these replies (what a citizen's tap sends). */
export function buttonAction(replies: SeenReply[], label: string): string {
  const action = replies.flatMap((r) => r.buttons.flat()).find((b) => b.label === label)?.action;
  if (!action) throw new Error(`no button labelled ${label}`);
  return action;
}

/** The foundation's dialog: greeting, menu, language, help, placeholders, unknown text. */
export const foundationScenarios: Scenario[] = [
  {
    name: 'greets a newcomer in Vietnamese with the main menu',
    async run({ driver, citizen, vi }) {
      const name = driver.displayName ? ` ${driver.displayName}` : '';
      expect(await citizen.start()).toEqual([{ text: `${vi('menu.greeting', { name })}\n\n${vi('menu.prompt')}`, buttons: menuButtons(vi, 'en') }]);
    },
  },
  {
    name: 'switches to English from the menu button and remembers it',
    async run({ driver, citizen, vi, en }) {
      const menu = await citizen.start();
      const switched = await citizen.press(buttonAction(menu, vi('menu.language')));
      expect(switched).toEqual([
        { text: en('settings.languageChanged'), buttons: [] },
        { text: en('menu.prompt'), buttons: menuButtons(en, 'vi') },
      ]);
      const name = driver.displayName ? ` ${driver.displayName}` : '';
      expect(await citizen.say('menu')).toEqual([{ text: `${en('menu.greeting', { name })}\n\n${en('menu.prompt')}`, buttons: menuButtons(en, 'vi') }]);
      expect(await citizen.say('/lang vi')).toEqual([
        { text: vi('settings.languageChanged'), buttons: [] },
        { text: vi('menu.prompt'), buttons: menuButtons(vi, 'en') },
      ]);
    },
  },
  {
    name: 'shows help when typed without accents and from the menu',
    async run({ citizen, vi }) {
      const help = [{ title: vi('help.title'), text: vi('help.body'), buttons: backToMenu(vi) }];
      expect(await citizen.say('tro giup')).toEqual(help);
      expect(await citizen.press('help')).toEqual(help);
    },
  },
  {
    name: 'answers the entries that are not built yet politely, with a way back',
    async run({ citizen, vi }) {
      for (const [action, label] of [
        ['dossier', 'menu.dossier'],
        ['certify', 'menu.certify'],
      ] as const) {
        const replies = await citizen.press(action);
        expect(replies).toHaveLength(1);
        expect(replies[0]?.buttons).toEqual(backToMenu(vi));
        expect(replies[0]?.text).toBe(vi('common.comingSoon', { feature: vi(label).replace(/^\P{L}+/u, '') }));
      }
    },
  },
  {
    name: 'answers text it does not understand without an error and with a way back to the menu',
    async run({ citizen, vi }) {
      const replies = await citizen.say('xyzzy qwerty 12345');
      expect(replies.length).toBeGreaterThan(0);
      expect(replies.map((r) => r.text)).not.toContain(vi('common.apology'));
      expect(replies.flatMap((r) => r.buttons.flat()).map((b) => b.action)).toContain('menu');
    },
  },
];
