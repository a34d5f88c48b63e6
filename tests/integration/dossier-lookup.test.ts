import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTranslator } from '../../bot/locales';
import { feedback, identities, outbox } from '../../db/schema';
import { findIdentity } from '../../domain/messaging/conversations';
import { linkVerifiedPhone } from '../../domain/people/citizens';
import type { Reply } from '../../vocabulary/replies';
import { callApi } from '../support/api';
import { createTestAssistant, type TestAssistant } from '../support/assistant';
import { createTestToken } from '../support/tokens';

const vi = createTranslator()('vi');
let assistant: TestAssistant;
let staff: string;
let chats = 0;

beforeAll(async () => {
  assistant = await createTestAssistant();
  assistant.clock.set('2026-11-23T03:00:00Z'); // Monday 10:00 in Vietnam
  staff = await createTestToken(assistant.database.db, 'staff', { officeId: 1 });
  await register('HS-LOOKUP-0001', '0912 345 678', { dueAt: '2026-11-20T16:00:00+07:00', receivedAt: '2026-11-18T08:00:00+07:00' });
});
afterAll(async () => assistant.close());

async function register(
  code: string,
  phone: string,
  dates: { receivedAt?: string; dueAt?: string } = {},
  procedureName: string | null = 'Thủ tục đăng ký kết hôn',
) {
  const res = await callApi(assistant.app, 'PUT', `/api/v1/dossiers/${code}`, staff, {
    procedureCode: '1.000894',
    ...(procedureName === null ? {} : { procedureName }),
    field: 'Hộ tịch',
    applicantName: 'Phạm Minh Tuấn',
    applicantPhone: phone,
    channel: 'counter',
    receivedAt: dates.receivedAt ?? '2026-11-23T08:00:00+07:00',
    dueAt: dates.dueAt ?? '2026-11-26T16:00:00+07:00',
  });
  expect(res.status).toBe(201);
}
const move = (code: string, body: unknown) => callApi(assistant.app, 'POST', `/api/v1/dossiers/${code}/events`, staff, body);

/** A citizen on the web chat, talking to the real dialog over the test database. */
function citizen() {
  const externalId = `lookup-${++chats}`;
  const send = async (message: { kind: 'text'; text: string } | { kind: 'action'; action: string }): Promise<Reply[]> =>
    (await assistant.dialog.handle({ channel: 'web', externalId, message })) ?? [];
  return {
    say: (text: string) => send({ kind: 'text', text }),
    press: (action: string) => send({ kind: 'action', action }),
    async identityId() {
      const row = await findIdentity(assistant.database.db, 'web', externalId);
      if (!row) throw new Error('chat not opened');
      return row.id;
    },
  };
}

const texts = (replies: Reply[]) => replies.map((r) => r.text).join('\n');
const actions = (replies: Reply[]) => replies.flatMap((r) => (r.buttons ?? []).flat()).flatMap((b) => ('action' in b ? [b.action] : []));

describe('looking up a dossier in the chat', () => {
  it('shows the card after the code and the last 4 digits: dates, status, overdue, follow button', async () => {
    const chat = citizen();
    expect(texts(await chat.press('dossier'))).toContain(vi('dossier.askCode'));
    expect(texts(await chat.say('hs-lookup-0001'))).toBe(vi('dossier.askPhone'));
    const card = await chat.say('5678');
    expect(card[0]?.title).toBe(vi('dossier.card_title', { code: 'HS-LOOKUP-0001' }));
    const text = texts(card);
    expect(text).toContain('Thủ tục đăng ký kết hôn');
    expect(text).toContain('18/11/2026');
    expect(text).toContain('20/11/2026');
    expect(text).toContain(vi('dossier.status_received'));
    expect(text).toContain(vi('dossier.card_overdue'));
    expect(actions(card)).toEqual(expect.arrayContaining([expect.stringMatching(/^dossier:follow:\d+$/), 'dossier:again', 'menu']));
  });

  it.each([
    ['the procedure name the office software sent with the dossier', 'Đăng ký kết hôn có yếu tố nước ngoài', 'Đăng ký kết hôn có yếu tố nước ngoài'],
    ['the catalog name of its code when the dossier came without one', null, 'Thủ tục đăng ký kết hôn'],
  ])('shows on the card %s', async (_case, sent, shown) => {
    const code = `HS-NAME-${sent === null ? 'CAT' : 'OWN'}-0001`;
    await register(code, '0912 345 678', {}, sent);
    const chat = citizen();
    await chat.press('dossier');
    await chat.say(code);
    const card = texts(await chat.say('5678'));
    expect(card.split('\n')).toContain(vi('dossier.card_procedure', { name: shown }));
  });

  it('asks for the code when "tra cứu hồ sơ" is typed alone, with or without accents (its words are not a code)', async () => {
    for (const text of ['tra cứu hồ sơ', 'tra cuu ho so', 'Tra cứu hồ sơ']) {
      const [reply] = await citizen().say(text);
      expect(reply?.text, text).toBe(vi('dossier.askCode'));
    }
  });

  it('gives a wrong code and a wrong phone the very same answer', async () => {
    const wrongCode = citizen();
    await wrongCode.press('dossier');
    const askedForUnknown = await wrongCode.say('HS-NO-SUCH-9999');
    const unknown = await wrongCode.say('5678');
    const wrongPhone = citizen();
    await wrongPhone.press('dossier');
    const askedForKnown = await wrongPhone.say('HS-LOOKUP-0001');
    const mismatch = await wrongPhone.say('1234');
    expect(askedForUnknown).toEqual(askedForKnown);
    expect(unknown).toEqual(mismatch);
    expect(texts(mismatch)).toContain(vi('dossier.notFound'));
  });

  it('allows 10 lookups an hour per chat, then asks to wait, then allows again', async () => {
    const chat = citizen();
    await chat.press('dossier');
    // Ten codes, so that no code's own daily budget of wrong digits is what stops the chat.
    for (let i = 0; i < 10; i++) {
      await chat.say(`HS-LOOKUP-90${i}0`);
      expect(texts(await chat.say('0000'))).toContain(vi('dossier.notFound'));
    }
    await chat.say('HS-LOOKUP-0001');
    const limited = await chat.say('5678');
    expect(texts(limited)).toContain(vi('dossier.rateLimited', { minutes: 60 }).slice(0, 40));
    expect(limited[0]?.title).toBeUndefined();
    assistant.clock.advance(60 * 60 * 1000);
    await chat.press('dossier');
    await chat.say('HS-LOOKUP-0001');
    expect((await chat.say('5678'))[0]?.title).toBe(vi('dossier.card_title', { code: 'HS-LOOKUP-0001' }));
  });

  it('skips the digits for a chat linked to the applicant by a verified phone', async () => {
    const chat = citizen();
    await chat.press('dossier');
    await linkVerifiedPhone(assistant.database.db, await chat.identityId(), '+84912345678', assistant.clock.now());
    const card = await chat.say('HS-LOOKUP-0001');
    expect(card[0]?.title).toBe(vi('dossier.card_title', { code: 'HS-LOOKUP-0001' }));
    // Linked chats follow their dossiers by default.
    expect(actions(card)).toEqual(expect.arrayContaining([expect.stringMatching(/^dossier:unfollow:\d+$/)]));
  });

  it('refuses follow and view for a dossier the chat never proved (a forged button)', async () => {
    const chat = citizen();
    const res = await chat.press('dossier:follow:1');
    expect(texts(res)).toContain(vi('dossier.notAllowed'));
    expect(texts(await chat.press('dossier:view:1'))).toContain(vi('dossier.notAllowed'));
  });
});

describe('following a dossier and rating the service', () => {
  it('notifies a follower once per change and lets them rate the returned dossier once, with a comment', async () => {
    await register('HS-LOOKUP-0002', '0987 654 321');
    const chat = citizen();
    await chat.press('dossier');
    await chat.say('HS-LOOKUP-0002');
    const card = await chat.say('4321');
    const follow = actions(card).find((a) => a.startsWith('dossier:follow:'));
    expect(follow).toBeDefined();
    expect(texts(await chat.press(follow ?? ''))).toContain(vi('dossier.followed', { code: 'HS-LOOKUP-0002' }));

    await move('HS-LOOKUP-0002', { status: 'ready', details: { collectAt: 'Quầy 2, UBND phường Bến Nghé' } });
    await move('HS-LOOKUP-0002', { status: 'returned' });
    await move('HS-LOOKUP-0002', { status: 'returned' });
    const id = await chat.identityId();
    const rows = await assistant.database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.identityId, id), like(outbox.kind, 'dossier_%')))
      .orderBy(outbox.id);
    expect(rows.map((r) => r.kind)).toEqual(['dossier_ready', 'dossier_returned']);
    const returned = JSON.stringify(rows[1]?.payload);
    expect(returned).toContain('Chúc mừng hạnh phúc');
    const rate = /feedback:r:\d+:4/.exec(returned)?.[0] ?? '';

    expect(texts(await chat.press(rate))).toBe(vi('feedback.thanks', { rating: 4 }));
    expect(texts(await chat.say('Cán bộ hướng dẫn rất tận tình'))).toBe(vi('feedback.commentThanks'));
    expect(texts(await chat.press(rate.replace(/:4$/, ':1')))).toBe(vi('feedback.alreadyRated'));
    const stored = await assistant.database.db.select().from(feedback);
    expect(stored).toEqual([expect.objectContaining({ rating: 4, comment: 'Cán bộ hướng dẫn rất tận tình', officeId: 1, field: 'Hộ tịch' })]);

    const stranger = citizen();
    expect(texts(await stranger.press(rate))).toBe(vi('feedback.notAllowed'));
  });

  it('stops notifying a linked chat that unfollows', async () => {
    await register('HS-LOOKUP-0003', '0903 111 222');
    const chat = citizen();
    await chat.press('menu');
    const id = await chat.identityId();
    await linkVerifiedPhone(assistant.database.db, id, '+84903111222', assistant.clock.now());
    await chat.press('dossier');
    const card = await chat.say('HS-LOOKUP-0003');
    const unfollow = actions(card).find((a) => a.startsWith('dossier:unfollow:')) ?? '';
    expect(texts(await chat.press(unfollow))).toContain(vi('dossier.unfollowed', { code: 'HS-LOOKUP-0003' }));
    await move('HS-LOOKUP-0003', { status: 'needs_supplement', details: { missing: ['CCCD bản sao'] } });
    const rows = await assistant.database.db
      .select({ kind: outbox.kind })
      .from(outbox)
      .where(and(eq(outbox.identityId, id), like(outbox.kind, 'dossier_%')));
    expect(rows).toEqual([]);
    const [chatRow] = await assistant.database.db.select().from(identities).where(eq(identities.id, id));
    expect(chatRow?.citizenId).not.toBeNull();
  });
});
