import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTranslator } from '../../bot/locales';
import { findIdentity } from '../../domain/messaging/conversations';
import { linkVerifiedPhone } from '../../domain/people/citizens';
import { sha256Hex } from '../../lib/crypto';
import { callApi } from '../support/api';
import { createTestAssistant, type TestAssistant } from '../support/assistant';
import { createTestToken } from '../support/tokens';

const vi = createTranslator()('vi');
const DAY_MS = 24 * 60 * 60 * 1000;
// The limits of domain/dossiers/lookup.ts (imported there before zod is extended for OpenAPI, so not imported here).
const GUESS_LIMIT_PER_CODE = { max: 10 };
const GUESS_LIMIT_PER_ADDRESS = { max: 30 };
let assistant: TestAssistant;
let staff: string;
let addresses = 0;

beforeAll(async () => {
  assistant = await createTestAssistant();
  staff = await createTestToken(assistant.database.db, 'staff', { officeId: 1 });
});
afterAll(async () => assistant.close());
// Every test starts at the beginning of its own day, so the daily counts of one never reach another.
let day = 0;
beforeEach(() => assistant.clock.set(new Date(Date.UTC(2026, 10, 23) + ++day * 10 * DAY_MS + 3_600_000)));

async function register(code: string, phone: string) {
  const res = await callApi(assistant.app, 'PUT', `/api/v1/dossiers/${code}`, staff, {
    procedureCode: '1.000894',
    procedureName: 'Thủ tục đăng ký kết hôn',
    applicantName: 'Phạm Minh Tuấn',
    applicantPhone: phone,
    channel: 'counter',
    receivedAt: '2026-11-23T08:00:00+07:00',
    dueAt: '2026-11-26T16:00:00+07:00',
  });
  expect(res.status).toBe(201);
}

type WebReply = { title?: string; text: string };

/** A fresh web chat session (no cookie yet) from one network address, as an attacker opens them. */
function session(address = `198.51.100.${++addresses % 250}`) {
  let cookie: string | undefined;
  const send = async (body: Record<string, string>) => {
    const res = await assistant.app.request('/chat/messages', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': address, ...(cookie ? { cookie } : {}) },
    });
    cookie = res.headers.get('set-cookie')?.split(';')[0] ?? cookie;
    return ((await res.json()) as { replies: WebReply[] }).replies;
  };
  return {
    cookie: () => cookie,
    /** Opens the look-up, types the code and then the digits; answers every reply (a linked chat is answered after the code). */
    async guess(code: string, digits: string) {
      await send({ action: 'dossier' });
      const afterCode = await send({ text: code });
      return [...afterCode, ...(await send({ text: digits }))];
    },
  };
}

const showsCard = (replies: WebReply[], code: string) => replies.some((r) => r.title === vi('dossier.card_title', { code }));
const text = (replies: WebReply[]) => replies.map((r) => r.text).join('\n');
/** Every 4-digit ending but the right one, in order. */
const wrongEndings = (right: string) =>
  Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0'))
    .filter((d) => d !== right)
    .values();

describe('guessing the last 4 digits of a dossier in the web chat', () => {
  it('checks at most 10 digits a day per dossier, however many sessions and addresses guess, and never tells the code exists', async () => {
    await register('HS-GUESS-0001', '0912 345 678');
    const wrong = wrongEndings('5678');
    // 60 sessions, each from its own address: the real digits come last, after the budget is spent.
    let cards = 0;
    for (let i = 0; i < 59; i++) if (showsCard(await session().guess('HS-GUESS-0001', wrong.next().value ?? ''), 'HS-GUESS-0001')) cards++;
    expect(cards).toBe(0);
    const right = await session().guess('HS-GUESS-0001', '5678');
    expect(showsCard(right, 'HS-GUESS-0001')).toBe(false);
    // The answer is the one a code that does not exist gets.
    expect(text(right)).toBe(text(await session().guess('HS-NO-SUCH-0001', '5678')));
    expect(text(right)).toContain(vi('dossier.notFound'));

    // The next day the citizen is let in at once.
    assistant.clock.advance(DAY_MS);
    expect(showsCard(await session().guess('HS-GUESS-0001', '5678'), 'HS-GUESS-0001')).toBe(true);
  });

  it('spends only wrong digits: the right ones cost no one a try', async () => {
    await register('HS-GUESS-0002', '0912 345 222');
    for (let i = 0; i < GUESS_LIMIT_PER_CODE.max + 5; i++) expect(showsCard(await session().guess('HS-GUESS-0002', '5222'), 'HS-GUESS-0002')).toBe(true);
    const wrong = wrongEndings('5222');
    for (let i = 0; i < GUESS_LIMIT_PER_CODE.max - 1; i++) await session().guess('HS-GUESS-0002', wrong.next().value ?? '');
    expect(showsCard(await session().guess('HS-GUESS-0002', '5222'), 'HS-GUESS-0002')).toBe(true);
  });

  it("never locks out the applicant's own chats: one linked by a proved phone, one that proved the dossier before", async () => {
    await register('HS-GUESS-0003', '0912 345 333');
    const provedBefore = session();
    expect(showsCard(await provedBefore.guess('HS-GUESS-0003', '5333'), 'HS-GUESS-0003')).toBe(true);
    const linked = session();
    await linked.guess('HS-GUESS-0003', '0000');
    const chat = await findIdentity(assistant.database.db, 'web', externalIdOf(linked.cookie()));
    await linkVerifiedPhone(assistant.database.db, chat?.id ?? 0, '+84912345333', assistant.clock.now());

    const wrong = wrongEndings('5333');
    for (let i = 0; i < 30; i++) await session().guess('HS-GUESS-0003', wrong.next().value ?? '');
    expect(showsCard(await session().guess('HS-GUESS-0003', '5333'), 'HS-GUESS-0003')).toBe(false);
    expect(showsCard(await provedBefore.guess('HS-GUESS-0003', '5333'), 'HS-GUESS-0003')).toBe(true);
    expect(showsCard(await linked.guess('HS-GUESS-0003', '5333'), 'HS-GUESS-0003')).toBe(true);
  });

  it('lets one address check at most 30 digits a day over all codes, then asks it to wait', async () => {
    const address = '203.0.113.7';
    for (let i = 0; i < GUESS_LIMIT_PER_ADDRESS.max; i++) {
      expect(text(await session(address).guess(`HS-NONE-${String(i).padStart(4, '0')}`, '1234'))).toContain(vi('dossier.notFound'));
    }
    const waited = text(await session(address).guess('HS-NONE-9999', '1234'));
    expect(waited).not.toContain(vi('dossier.notFound'));
    expect(waited).toContain(vi('dossier.tooManyGuesses', { hours: 23 }));
    // Another address is not held by it.
    expect(text(await session().guess('HS-NONE-9999', '1234'))).toContain(vi('dossier.notFound'));
  });
});

/** The chat id the web chat stores for a session cookie (the hash of its token). */
function externalIdOf(cookie: string | undefined): string {
  return sha256Hex(cookie?.split('=')[1] ?? '');
}
