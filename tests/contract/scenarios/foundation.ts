import { expect } from 'vitest';
import type { Translate } from '../../../vocabulary/locales';
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
    // Entries whose capability is not built yet answer with the placeholder; built ones with
    // their first step. Either way: an answer, never the apology, and a way on.
    name: 'answers every main menu entry politely, with a way on',
    async run({ citizen, vi }) {
      const menu = await citizen.start();
      for (const button of menu.flatMap((r) => r.buttons.flat())) {
        if (!button.action) continue;
        const replies = await citizen.press(button.action);
        expect(replies.length, button.label).toBeGreaterThan(0);
        expect(replies.map((r) => r.text)).not.toContain(vi('common.apology'));
        expect(replies.flatMap((r) => r.buttons.flat()).length, button.label).toBeGreaterThan(0);
        // Back where we started, in Vietnamese, for the next entry.
        await citizen.say('/lang vi');
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
