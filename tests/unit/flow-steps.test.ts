import { describe, expect, it } from 'vitest';
import { createDialog } from '../../bot/core/dialog';
import type { Services } from '../../bot/core/services';
import type { Inbound } from '../../bot/core/types';
import { createFlows, DEFAULT_FLOW, MENU_FLOW } from '../../bot/flows';
import { createTranslator } from '../../bot/locales';
import { silentLogger } from '../../lib/logger';
import { maskPhone } from '../../lib/phone';
import type { ChannelName } from '../../vocabulary/channels';
import type { Reply } from '../../vocabulary/replies';
import { createFakeClock } from '../support/clock';
import { createMemoryStore } from '../support/memory-store';
import { servicesWith } from '../support/services';

const vi = createTranslator()('vi');
const NOT_STOPPED = { muted: [], area: null, topics: [], stopped: false };

/** The assistant's real flows over an in-memory store, with the ports a test gives (the menu's view by default). */
function chat(services: Partial<Services> = {}, channel: ChannelName = 'web') {
  const { store, states } = createMemoryStore();
  const clock = createFakeClock();
  const notifications = { view: async () => NOT_STOPPED, change: async () => null, findAreas: async () => ({ matched: false, areas: [], near: false }) };
  const dialog = createDialog({
    store,
    flows: createFlows(),
    defaultFlow: DEFAULT_FLOW,
    menuFlow: MENU_FLOW,
    translator: createTranslator(),
    services: servicesWith({ notifications, ...services }),
    clock,
    logger: silentLogger,
  });
  const send = async (message: Inbound): Promise<Reply[]> => (await dialog.handle({ channel, externalId: 'chat-1', message })) ?? [];
  return {
    say: (text: string) => send({ kind: 'text', text }),
    press: (action: string) => send({ kind: 'action', action }),
    state: () => states.get(1) ?? null,
    clock,
  };
}

const texts = (replies: Reply[]) => replies.map((r) => r.text);
const actions = (replies: Reply[]) => replies.flatMap((r) => (r.buttons ?? []).flat().flatMap((b) => ('action' in b ? [b.action] : [])));

describe('"huỷ" says what it cancelled', () => {
  it('with nothing in progress only shows the menu', async () => {
    const citizen = chat();
    const replies = await citizen.say('Huỷ');
    expect(texts(replies)).toEqual([vi('menu.prompt')]);
    expect(actions(replies)).toContain('certify');
  });

  it.each([
    ['an unfinished certification request', 'certify', 'menu.cancelledCertify', 'hủy'],
    ['a dossier look-up', 'dossier', 'menu.cancelledDossier', 'cancel'],
    ['choosing an area', 'settings:area', 'menu.cancelledSettings', 'huy'],
  ])('confirms %s and clears it', async (_case, opening, said, typed) => {
    const citizen = chat();
    await citizen.press(opening);
    expect(citizen.state()).not.toBeNull();
    expect(texts(await citizen.say(typed))).toEqual([vi(said), vi('menu.prompt')]);
    expect(citizen.state()).toBeNull();
    expect(texts(await citizen.say(typed))).toEqual([vi('menu.prompt')]);
  });
});

describe('a chat that asked for too many codes', () => {
  const notUsed = async (): Promise<never> => {
    throw new Error('not used in this test');
  };
  /** The first code goes out; every later request is refused until 08:20 (local) on the test day. */
  function limitedCertify() {
    let requests = 0;
    const certify: Services['certify'] = {
      requestCode: async () =>
        ++requests === 1
          ? { ok: true, value: { challengeId: 'c1', ttlMinutes: 5 } }
          : { ok: false, reason: 'rate_limited', retryAfterMinutes: 20, retryAt: new Date('2026-11-23T01:20:00Z') },
      codeDelivery: async () => 'ok',
      verifyCode: async () => ({ ok: false, reason: 'too_many_tries' }),
      verifyContact: notUsed,
      documents: notUsed,
      submit: notUsed,
      requests: notUsed,
      cancel: notUsed,
    };
    return certify;
  }

  it('is told when it may ask again, and is not asked to press "resend" or shown that button until then', async () => {
    const citizen = chat({ certify: limitedCertify() });
    await citizen.press('certify');
    expect(actions(await citizen.say('0912 345 678'))).toContain('certify:resend');
    const limited = await citizen.press('certify:resend');
    expect(texts(limited)).toEqual([vi('certify.rateLimited', { time: '08:20', minutes: 20 })]);
    expect(actions(limited)).not.toContain('certify:resend');
    const locked = await citizen.say('123456');
    expect(texts(locked)).toEqual([vi('certify.tooManyTriesWait', { time: '08:20' })]);
    expect(actions(locked)).not.toContain('certify:resend');
    expect(texts(await citizen.press('certify:notgot'))).toEqual([vi('certify.deliveryOkWait', { phone: maskPhone('+84912345678'), time: '08:20' })]);

    citizen.clock.advance(20 * 60_000);
    const free = await citizen.say('123456');
    expect(texts(free)).toEqual([vi('certify.tooManyTries')]);
    expect(actions(free)).toContain('certify:resend');
  });
});
