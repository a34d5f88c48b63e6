import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevOtpSender } from '../../../bot/channels/sms/dev-sender';
import { createTranslator } from '../../../bot/locales';
import { outbox } from '../../../db/schema';
import { otpSealer } from '../../../domain/certification/otp';
import { createLogger, silentLogger } from '../../../lib/logger';
import { maskPhone } from '../../../lib/phone';
import { formatLocalClock } from '../../../lib/vn-time';
import { DEV_SENDER_WARNING } from '../../../runtime/certification';
import { type FakeSmsGateway, startFakeSmsGateway } from '../../fakes/sms-gateway-server';
import { createTestAssistant, type TestAssistant } from '../../support/assistant';
import { latestCode, seedCitizen, seedOffice, TEST_SECRET, uniquePhone } from '../../support/certification';
import { testDatabaseKind } from '../../support/database';
import { contactUpdate, startTelegramApp, type TelegramApp, textUpdate } from '../../support/telegram-app';
import { seenMessage } from '../../support/telegram-view';

const vi = createTranslator()('vi');
const MINUTE = 60_000;

type WebReply = { text: string; buttons?: { label: string; action?: string }[][] };

/** One web chat session against an assistant. */
function webChat(assistant: TestAssistant) {
  let cookie: string | undefined;
  const call = async (path: string, init: RequestInit = {}) => {
    const res = await assistant.app.request(path, { ...init, headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) } });
    cookie = res.headers.get('set-cookie')?.split(';')[0] ?? cookie;
    return ((await res.json()) as { replies: WebReply[] }).replies;
  };
  const textOf = async (replies: Promise<WebReply[]>) => (await replies).map((r) => r.text).join('\n');
  const send = (body: Record<string, string>) => call('/chat/messages', { method: 'POST', body: JSON.stringify(body) });
  return {
    say: (text: string) => textOf(send({ text })),
    press: (action: string) => textOf(send({ action })),
    updates: () => textOf(call('/chat/updates')),
    /** The replies with their buttons. */
    sayReplies: (text: string) => send({ text }),
    pressReplies: (action: string) => send({ action }),
  };
}

const actionsOf = (replies: WebReply[]) => replies.flatMap((r) => (r.buttons ?? []).flat().map((b) => b.action));

async function registered(assistant: TestAssistant, pages = 2) {
  const phone = uniquePhone();
  const { documents } = await seedCitizen(assistant.database.db, {
    phone: phone.e164,
    officeId: await seedOffice(assistant.database.db),
    documents: [{ title: 'Giấy khai sinh', pages }],
  });
  return { phone, document: documents[0] };
}

/** A registered citizen whose web chat started certification and typed the phone: a code is on its way. */
async function codeRequested(assistant: TestAssistant) {
  const { phone, document } = await registered(assistant);
  const chat = webChat(assistant);
  await chat.press('certify');
  await chat.say(phone.typed);
  return { phone, document, chat };
}

/** Further: the code typed, one copy of the document chosen, collected at the office; the summary shown. */
async function atSummary(assistant: TestAssistant) {
  const { phone, document, chat } = await codeRequested(assistant);
  await chat.say(String(await latestCode(assistant.database.db, TEST_SECRET, phone.e164)));
  await chat.press(`certify:doc:${document?.id}`);
  await chat.press('certify:next');
  await chat.press('certify:n:1');
  return { chat, summary: await chat.press('certify:pickup') };
}

describe(`certification chat (${testDatabaseKind})`, () => {
  describe('in development (no SMS gateway)', () => {
    let assistant: TestAssistant;
    beforeAll(async () => {
      assistant = await createTestAssistant();
    });
    afterAll(async () => assistant.close());

    it('shows the code in the web chat that asked for it, through the outbox', async () => {
      const { phone, chat } = await codeRequested(assistant);
      const code = await latestCode(assistant.database.db, TEST_SECRET, phone.e164);
      expect(await chat.updates()).toBe('');
      await assistant.delivery.runOnce();
      expect(await chat.updates()).toBe(vi('certify.devCode', { code }));
      expect(await chat.say(String(code))).toContain(vi('certify.verified'));
    });

    it('asks for the 6 digits without spending a try when the citizen types something else', async () => {
      const { phone, chat } = await codeRequested(assistant);
      expect(await chat.say('mã là gì?')).toBe(vi('certify.enterDigits'));
      const code = await latestCode(assistant.database.db, TEST_SECRET, phone.e164);
      expect(await chat.say(code === '000000' ? '111111' : '000000')).toBe(vi('certify.wrongCode', { count: 4 }));
    });

    it('says when a new code may be asked for once a chat has asked for too many, and offers no resend button until then', async () => {
      const { phone, chat } = await codeRequested(assistant);
      // The chat's first code was asked for just now, so a new one may be asked for 15 minutes on
      // (another test of this block may have moved the shared clock: the time is read, not assumed).
      const until = formatLocalClock(new Date(assistant.clock.now().getTime() + 15 * MINUTE));
      expect(await chat.press('certify:resend')).toContain(vi('certify.codeSent', { phone: maskPhone(phone.e164), minutes: 5 }));
      expect(await chat.press('certify:resend')).toContain(vi('certify.codeSent', { phone: maskPhone(phone.e164), minutes: 5 }));
      const limited = await chat.pressReplies('certify:resend');
      expect(limited.map((r) => r.text)).toEqual([vi('certify.rateLimited', { time: until, minutes: 15 })]);
      expect(actionsOf(limited)).not.toContain('certify:resend');
      const stillWaiting = await chat.sayReplies('mã đâu?');
      expect(stillWaiting.map((r) => r.text)).toEqual([vi('certify.enterDigits')]);
      expect(actionsOf(stillWaiting)).not.toContain('certify:resend');
      assistant.clock.advance(15 * MINUTE);
      expect(actionsOf(await chat.sayReplies('mã đâu?'))).toContain('certify:resend');
      expect(await chat.press('certify:resend')).toContain(vi('certify.codeSent', { phone: maskPhone(phone.e164), minutes: 5 }));
    });

    it('takes a number of copies typed with its unit or in words, and asks again with the same buttons when out of range', async () => {
      const { phone, document, chat } = await codeRequested(assistant);
      await chat.say(String(await latestCode(assistant.database.db, TEST_SECRET, phone.e164)));
      await chat.press(`certify:doc:${document?.id}`);
      const asked = await chat.pressReplies('certify:next');
      expect(asked.map((r) => r.text)).toEqual([vi('certify.askCopies', { title: 'Giấy khai sinh', max: 20 })]);
      for (const typed of ['25 bản', 'nhiều bản']) {
        const refused = await chat.sayReplies(typed);
        expect(refused.map((r) => r.text)).toEqual([vi('certify.invalidCopies', { max: 20 })]);
        expect(actionsOf(refused)).toEqual(actionsOf(asked));
      }
      expect(await chat.say('ba bản')).toBe(vi('certify.askDelivery'));
      expect(await chat.press('certify:pickup')).toContain(vi('certify.summaryLine', { title: 'Giấy khai sinh', copies: 3, pages: 2, fee: '12.000 ₫' }));
    });

    it('confirms that the request was cancelled when the citizen taps the summary’s cancel button', async () => {
      const { chat } = await atSummary(assistant);
      const summary = await chat.pressReplies('certify:pickup');
      const cancel = summary.flatMap((r) => (r.buttons ?? []).flat()).find((b) => b.label === vi('certify.cancel'));
      expect(await chat.press(cancel?.action ?? 'no cancel button')).toBe(`${vi('menu.cancelledCertify')}\n${vi('menu.prompt')}`);
    });

    it('asks to verify again when the proof is older than 30 minutes at sending time', async () => {
      const { chat } = await atSummary(assistant);
      assistant.clock.advance(31 * MINUTE);
      expect(await chat.press('certify:confirm')).toBe(vi('certify.verifyAgain'));
    });

    it('never builds the development sender in production', () => {
      const build = () =>
        createDevOtpSender({
          db: assistant.database.db,
          clock: assistant.clock,
          logger: silentLogger,
          sealer: otpSealer(TEST_SECRET),
          otpText: '{{code}}',
          translator: createTranslator(),
          env: 'production',
          channel: 'sms',
        });
      expect(build).toThrow(/never run in production/);
    });

    it('lets the citizen cancel only before staff confirm', async () => {
      const { chat, summary } = await atSummary(assistant);
      expect(summary).toContain(vi('certify.summaryPickupAt', { office: 'UBND phường Bến Nghé, 1 Lê Lợi' }));
      expect(summary).toContain(vi('certify.summaryTotal', { fee: '4.000 ₫' }));
      const ref = /CT-\d{6}/.exec(await chat.press('certify:confirm'))?.[0] ?? '';
      const id = Number(ref.slice(3));
      const { certificationRequests } = await import('../../../db/schema');
      await assistant.database.db.update(certificationRequests).set({ status: 'confirmed' }).where(eq(certificationRequests.id, id));
      expect(await chat.press(`certify:cancel:${id}`)).toBe(vi('certify.notCancellable'));
    });
  });

  describe('in production with an SMS gateway', () => {
    let assistant: TestAssistant;
    let gateway: FakeSmsGateway;
    beforeAll(async () => {
      gateway = await startFakeSmsGateway();
      assistant = await createTestAssistant({
        NODE_ENV: 'production',
        SMS_GATEWAY_URL: gateway.url,
        SMS_GATEWAY_AUTH_HEADER: 'Authorization: Basic dG9rZW46eA==',
        SMS_GATEWAY_BODY:
          '{"ApiKey":"k","SecretKey":"s","Phone":"{{phoneNational}}","Content":"{{text}}","SmsType":"8","Sandbox":"1","RequestId":"{{requestId}}"}',
        SMS_GATEWAY_SUCCESS_FIELD: 'CodeResult',
      });
    });
    afterAll(async () => {
      await assistant.close();
      await gateway.close();
    });

    it('sends the code to the phone through the gateway and never shows it in the web chat', async () => {
      const { phone, chat } = await codeRequested(assistant);
      const code = await latestCode(assistant.database.db, TEST_SECRET, phone.e164);
      await assistant.delivery.runOnce();
      const request = gateway.received.at(-1);
      expect(request?.headers.authorization).toBe('Basic dG9rZW46eA==');
      expect(request?.body).toMatchObject({ Phone: phone.e164.replace('+84', '0'), SmsType: '8', RequestId: expect.stringMatching(/^[0-9a-f]{32}$/) });
      expect(JSON.stringify(request?.body)).toContain(`${code}`);
      expect(JSON.stringify(request?.body)).toContain('KHONG chia se');
      expect(assistant.senders.some((s) => s.kind === 'phone' && s.channel === 'sms')).toBe(true);
      expect(await chat.updates()).toBe('');
      // Sent: the outbox row no longer holds even the sealed code.
      const [row] = await assistant.database.db.select().from(outbox).where(eq(outbox.phone, phone.e164));
      expect(row).toMatchObject({ status: 'sent', payload: { phone: { purpose: 'scrubbed' } } });
    });

    it('tells the citizen honestly when the code could not be sent', async () => {
      gateway.answer(200, { CodeResult: '99', ErrorMessage: 'Phone blocked' });
      const { phone, chat } = await codeRequested(assistant);
      expect(await chat.press('certify:notgot')).toBe(vi('certify.deliveryOk', { phone: maskPhone(phone.e164) }));
      await assistant.delivery.runOnce();
      gateway.answer(200, { CodeResult: '100' });
      const failed = vi('certify.deliveryFailed', { phone: maskPhone(phone.e164) });
      expect(await chat.press('certify:notgot')).toBe(failed);
      expect(await chat.say('123456')).toBe(failed);
    });
  });

  it('says plainly that codes cannot be sent in production without a gateway', async () => {
    const assistant = await createTestAssistant({ NODE_ENV: 'production' });
    try {
      const { phone } = await registered(assistant);
      const chat = webChat(assistant);
      await chat.press('certify');
      expect(await chat.say(phone.typed)).toBe(vi('certify.unavailable'));
    } finally {
      await assistant.close();
    }
  });

  it('shows no code, and reveals no registered phone, on a deployment that forgot NODE_ENV', async () => {
    const assistant = await createTestAssistant({ NODE_ENV: 'development', PUBLIC_URL: 'https://motcua.example.vn' });
    try {
      const { phone } = await registered(assistant);
      const chat = webChat(assistant);
      await chat.press('certify');
      expect(await chat.say(phone.typed)).toBe(vi('certify.unavailable'));
      await assistant.delivery.runOnce();
      expect(await chat.updates()).toBe('');
      expect(assistant.devOtpSender).toBe(false);
    } finally {
      await assistant.close();
    }
  });

  it('says loudly at start-up that the development sender is on', async () => {
    const lines: string[] = [];
    const assistant = await createTestAssistant({ OTP_DEV_SENDER: 'true' }, createLogger({ level: 'info', write: (line) => lines.push(line) }));
    try {
      expect(assistant.devOtpSender).toBe(true);
      expect(lines.map((l) => JSON.parse(l))).toContainEqual(expect.objectContaining({ level: 'warn', msg: DEV_SENDER_WARNING }));
    } finally {
      await assistant.close();
    }
  });

  describe('on Telegram', () => {
    let telegram: TelegramApp;
    beforeAll(async () => {
      telegram = await startTelegramApp();
    });
    afterAll(async () => telegram.close());

    const say = async (chat: number, update: unknown) => {
      const before = telegram.fake.messages(chat).length;
      const res = await telegram.post(update);
      expect(res.status).toBe(200);
      return telegram.fake
        .messages(chat)
        .slice(before)
        .map((m) => seenMessage(m).text)
        .join('\n');
    };

    it('takes the citizen’s own shared contact as proof: no code, straight to the papers', async () => {
      const { phone } = await registered(telegram.assistant);
      const chat = 71_000_001;
      await say(chat, textUpdate(chat, 'chung thuc'));
      const replies = await say(chat, contactUpdate(chat, phone.e164.replace('+', ''), true));
      expect(replies).toContain(vi('certify.verified'));
      expect(replies).toContain(vi('certify.pickDocuments'));
      expect(await latestCode(telegram.assistant.database.db, TEST_SECRET, phone.e164)).toBeNull();
    });

    it('treats someone else’s contact card as a typed number and sends a code', async () => {
      const { phone } = await registered(telegram.assistant);
      const chat = 71_000_002;
      await say(chat, textUpdate(chat, 'chung thuc'));
      const replies = await say(chat, contactUpdate(chat, phone.e164.replace('+', ''), false));
      expect(replies).toContain(vi('certify.codeSent', { phone: maskPhone(phone.e164), minutes: 5 }));
      expect(await latestCode(telegram.assistant.database.db, TEST_SECRET, phone.e164)).toMatch(/^\d{6}$/);
    });
  });
});
