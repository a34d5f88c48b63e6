import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTranslator } from '../../bot/locales';
import { telegramDriver } from './drivers/telegram';
import type { ChannelDriver, Citizen } from './drivers/types';
import { webDriver } from './drivers/web';
import { zaloDriver } from './drivers/zalo';
import { askScenarios } from './scenarios/ask';
import { certifyScenarios } from './scenarios/certify';
import { dossierScenarios } from './scenarios/dossier';
import { foundationScenarios } from './scenarios/foundation';
import type { Scenario } from './scenarios/types';

/**
 * Channel contract: the same conversations on every channel. Add a channel by adding its driver
 * here; add conversations by adding a scenario list.
 */
const drivers: (() => ChannelDriver)[] = [webDriver, telegramDriver, zaloDriver];
const scenarios: Scenario[] = [...foundationScenarios, ...askScenarios, ...certifyScenarios, ...dossierScenarios];

const translate = createTranslator();
const vi = translate('vi');
const en = translate('en');

const opened = drivers.map((make) => make());
beforeAll(() => Promise.all(opened.map((d) => d.open())));
afterAll(() => Promise.all(opened.map((d) => d.close())));

describe.each(opened.map((driver) => [driver.name, driver] as const))('%s channel', (_name, driver) => {
  it.each(scenarios.map((s) => [s.name, s] as const))('%s', async (_scenario, scenario) => {
    await scenario.run({ driver, citizen: driver.citizen(), vi, en });
  });
});

/** A conversation with no greeting (greetings carry the name only some channels know). */
async function transcript(citizen: Citizen) {
  return [
    await citizen.say('help'),
    await citizen.press('settings'),
    await citizen.press('settings:lang:en'),
    await citizen.press('dossier'),
    await citizen.say('something the assistant cannot answer'),
    await citizen.say('/lang vi'),
    await citizen.say('cai dat'),
  ];
}

describe('every channel', () => {
  it('shows a citizen the same replies for the same conversation', async () => {
    const [first, ...rest] = await Promise.all(opened.map((d) => transcript(d.citizen())));
    expect(first?.flat().length).toBeGreaterThan(6);
    for (const other of rest) expect(other).toEqual(first);
  });
});
