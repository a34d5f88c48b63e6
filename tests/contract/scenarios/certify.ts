import { expect } from 'vitest';
import { maskPhone } from '../../../lib/phone';
import { latestCode, recordSentCodes, seedCitizen, seedOffice, TEST_SECRET, uniquePhone } from '../../support/certification';
import type { SeenReply } from '../drivers/types';
import { buttonAction } from './foundation';
import type { Scenario } from './types';

const texts = (replies: SeenReply[]) => replies.map((r) => r.text).join('\n');

/** Repeat certification ("Chứng thực 4.0") from the menu to a submitted, then cancelled, request. */
export const certifyScenarios: Scenario[] = [
  {
    name: 'certification: proves the phone with a code, picks papers and copies, sees the fee, sends, follows and cancels',
    async run({ driver, citizen, vi }) {
      const db = driver.assistant().database.db;
      const sentCodes = recordSentCodes(driver.assistant().senders, TEST_SECRET);
      const phone = uniquePhone();
      const officeId = await seedOffice(db);
      const { documents } = await seedCitizen(db, {
        phone: phone.e164,
        officeId,
        documents: [
          { title: 'Bằng tốt nghiệp THPT', pages: 3 },
          { title: 'Giấy khai sinh', pages: 1 },
        ],
      });
      const [diploma, birth] = documents;
      if (!diploma || !birth) throw new Error('seed failed');

      const intro = await citizen.press('certify');
      expect(texts(intro)).toContain(vi('certify.intro'));
      // "Or press the share button" only where the channel shows one: Telegram's keyboard
      // button, Zalo's request_user_info card; the web chat has none.
      const contactButton = ({ web: false, telegram: true, zalo: true } as Record<string, boolean>)[driver.name];
      expect(contactButton, `whether ${driver.name} has a contact button`).toBeDefined();
      expect(texts(intro)).toContain(vi(contactButton ? 'certify.askPhoneOrShare' : 'certify.askPhone'));
      expect(texts(intro).includes(vi('certify.askPhoneOrShare'))).toBe(contactButton);
      if (contactButton === false) expect(texts(intro)).not.toMatch(/chia sẻ số điện thoại/i);
      expect(intro.flatMap((r) => r.buttons.flat()).map((b) => b.action)).toContain('menu');

      const sent = await citizen.say(phone.typed);
      expect(texts(sent)).toBe(vi('certify.codeSent', { phone: maskPhone(phone.e164), minutes: 5 }));
      const code = await latestCode(db, TEST_SECRET, phone.e164, sentCodes);
      expect(code).toMatch(/^\d{6}$/);

      const wrong = await citizen.say(code === '000000' ? '111111' : '000000');
      expect(texts(wrong)).toBe(vi('certify.wrongCode', { count: 4 }));

      const pick = await citizen.say(String(code));
      expect(texts(pick)).toBe(`${vi('certify.verified')}\n${vi('certify.pickDocuments')}`);
      await citizen.press(buttonAction(pick, vi('certify.documentButton', { mark: '⬜', title: diploma.title, pages: 3 })));
      const both = await citizen.press(`certify:doc:${birth.id}`);
      expect(both.flatMap((r) => r.buttons.flat()).map((b) => b.label)).toEqual(
        expect.arrayContaining([
          vi('certify.documentButton', { mark: '☑️', title: diploma.title, pages: 3 }),
          vi('certify.documentButton', { mark: '☑️', title: birth.title, pages: 1 }),
        ]),
      );

      const copies = await citizen.press('certify:next');
      expect(texts(copies)).toBe(vi('certify.askCopies', { title: diploma.title, max: 20 }));
      const second = await citizen.press(buttonAction(copies, '2'));
      expect(texts(second)).toBe(vi('certify.askCopies', { title: birth.title, max: 20 }));
      const delivery = await citizen.say('3');
      expect(texts(delivery)).toBe(vi('certify.askDelivery'));
      expect(texts(await citizen.press(buttonAction(delivery, vi('certify.post'))))).toBe(vi('certify.askAddress'));
      const summary = await citizen.say('12 Nguyễn Huệ, phường Sài Gòn, TP Hồ Chí Minh');
      // 3 pages: 2,000 + 2,000 + 1,000 = 5,000 a copy, two copies; 1 page: 2,000 a copy, three copies.
      expect(texts(summary)).toContain(vi('certify.summaryLine', { title: diploma.title, copies: 2, pages: 3, fee: '10.000 ₫' }));
      expect(texts(summary)).toContain(vi('certify.summaryLine', { title: birth.title, copies: 3, pages: 1, fee: '6.000 ₫' }));
      expect(texts(summary)).toContain(vi('certify.summaryTotal', { fee: '16.000 ₫' }));

      const done = await citizen.press(buttonAction(summary, vi('certify.confirm')));
      const ref = /CT-\d{6}/.exec(texts(done))?.[0];
      expect(texts(done)).toBe(vi('certify.submitted', { ref }));

      const list = await citizen.press(buttonAction(done, vi('certify.myRequests')));
      expect(texts(list)).toContain(`${ref}`);
      const cancelled = await citizen.press(buttonAction(list, vi('certify.cancelRequest', { ref })));
      expect(texts(cancelled)).toBe(vi('certify.cancelled', { ref }));
    },
  },
  {
    name: 'certification: an unregistered phone gets the same answer as a registered one, and no code is sent',
    async run({ driver, citizen, vi }) {
      const db = driver.assistant().database.db;
      const sentCodes = recordSentCodes(driver.assistant().senders, TEST_SECRET);
      const registered = uniquePhone();
      const stranger = uniquePhone();
      await seedCitizen(db, { phone: registered.e164, officeId: await seedOffice(db), documents: [{ title: 'CCCD', pages: 2 }] });

      await citizen.press('certify');
      const forRegistered = await citizen.say(registered.typed);
      await citizen.press('certify:phone');
      const forStranger = await citizen.say(stranger.typed);
      const unmask = (replies: SeenReply[], phone: string) => texts(replies).replace(maskPhone(phone), '<phone>');
      expect(unmask(forStranger, stranger.e164)).toBe(unmask(forRegistered, registered.e164));
      expect(forStranger.map((r) => r.buttons)).toEqual(forRegistered.map((r) => r.buttons));
      expect(texts(forStranger)).toContain(vi('certify.codeSent', { phone: maskPhone(stranger.e164), minutes: 5 }));
      expect(await latestCode(db, TEST_SECRET, stranger.e164, sentCodes)).toBeNull();
      // Any code typed for it is simply wrong, like a wrong code for a registered phone.
      expect(texts(await citizen.say('123456'))).toBe(vi('certify.wrongCode', { count: 4 }));
    },
  },
];
