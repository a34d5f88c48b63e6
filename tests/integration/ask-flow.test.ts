import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inbound } from '../../bot/core/types';
import { conversationState, identities, searchLog } from '../../db/schema';
import { createCatalog } from '../../domain/catalog/store';
import { loadDefaultCatalog } from '../../knowledge/default-catalog';
import { silentLogger } from '../../lib/logger';
import { localTime } from '../../lib/vn-time';
import type { ChannelName } from '../../vocabulary/channels';
import type { Reply } from '../../vocabulary/replies';
import { isUrlButton } from '../../vocabulary/replies';
import { createTestAssistant, type TestAssistant } from '../support/assistant';

let assistant: TestAssistant;
let chat = 0;
beforeAll(async () => {
  assistant = await createTestAssistant({ PUBLIC_URL: 'https://motcua.example' });
});
afterAll(async () => assistant.close());

/** One message from a fresh chat (or the given one) on a channel; the replies. */
async function send(message: Inbound, options: { channel?: ChannelName; chat?: string } = {}): Promise<Reply[]> {
  const replies = await assistant.dialog.handle({ channel: options.channel ?? 'web', externalId: options.chat ?? `chat-${++chat}`, message });
  if (!replies) throw new Error('no replies');
  return replies;
}
const ask = (text: string, options: { channel?: ChannelName; chat?: string } = {}) => send({ kind: 'text', text }, options);
const actions = (reply: Reply | undefined) => (reply?.buttons ?? []).flat().flatMap((b) => (isUrlButton(b) ? [] : [b.action]));
const urls = (reply: Reply | undefined) => (reply?.buttons ?? []).flat().flatMap((b) => (isUrlButton(b) ? [b.url] : []));
const APOLOGY = 'hệ thống đang gặp trục trặc';

describe('asking about a procedure', () => {
  it('answers a confident question with a first screen: short title, fee, time, where, online; details behind buttons', async () => {
    const [card, ...rest] = await ask('làm giấy khai sinh cho con');
    expect(rest).toEqual([]);
    expect(card?.title).toBe('Đăng ký khai sinh');
    expect(card?.text).toContain('Mã thủ tục: 1.001193');
    expect(card?.text).toContain('Lệ phí: Miễn phí');
    // The source's time field is "1" without a unit; its steps say before 15:00 the same day.
    expect(card?.text).toContain('Thời hạn: Nhận hồ sơ trước 15 giờ: trả kết quả trong ngày (theo quy trình trên Cổng DVC)');
    expect(card?.text).toContain('0200 000 0000');
    expect(card?.text).toContain('Nộp trực tuyến: có');
    // The papers are behind their button now.
    expect(card?.text).not.toContain('Tờ khai đăng ký khai sinh');
    expect(card?.text.length).toBeLessThanOrEqual(600);
    expect(actions(card)).toEqual(['ask:d:1.001193:1', 'ask:f:1.001193', 'ask:t:1.001193', 'ask:w:1.001193', 'ask:m:1.001193', 'ask:a:1.001193', 'menu']);
    expect(urls(card)).toEqual(['https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7', 'https://motcua.example/?p=1.001193']);
    const [papers] = await send({ kind: 'action', action: 'ask:d:1.001193:1' });
    expect(papers?.text).toMatch(/^📎 Giấy tờ cần mang \(1\/\d+\)/);
  });

  it('shares through Telegram with a t.me deep link when the bot username is configured', async () => {
    const telegram = await createTestAssistant({
      TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef',
      TELEGRAM_WEBHOOK_SECRET: 'secret-secret-secret',
      TELEGRAM_BOT_USERNAME: 'MotCuaBot',
    });
    try {
      const [card] = (await telegram.dialog.handle({ channel: 'telegram', externalId: '42', message: { kind: 'text', text: 'đăng ký kết hôn' } })) ?? [];
      expect(urls(card)).toContain(
        `https://t.me/share/url?url=${encodeURIComponent('https://t.me/MotCuaBot?start=p_1-000894')}&text=${encodeURIComponent('Đăng ký kết hôn')}`,
      );
      const qr = await telegram.app.request('/qr/procedures/1.000894.svg');
      expect(qr.status).toBe(200);
    } finally {
      await telegram.close();
    }
  });

  it('says when the source states no fee or time, and warns about unverified records', async () => {
    const [card] = await send({ kind: 'action', action: 'ask:c:1.001776' });
    expect(card?.text).toContain('Lệ phí: xin liên hệ bộ phận một cửa');
    expect(card?.text).toContain('Thời hạn: xin liên hệ bộ phận một cửa');
    expect(card?.text).toContain('chưa được đối chiếu với nguồn chính thức');
    const [papers] = await send({ kind: 'action', action: 'ask:d:1.001776:1' });
    expect(papers?.text).toContain('nguồn chưa có danh sách');
  });

  it('offers close procedures as buttons when the question fits several', async () => {
    const [reply] = await ask('sổ đỏ');
    expect(reply?.text).toContain('chọn đúng thủ tục');
    const choices = actions(reply).filter((a) => a.startsWith('ask:c:'));
    expect(choices.length).toBeGreaterThan(1);
    expect(choices.length).toBeLessThanOrEqual(3);
    const [card] = await send({ kind: 'action', action: choices[0] ?? '' });
    expect(card?.title).toBeDefined();
  });

  it('opens the part asked from each choice, and offers the same choices again for a follow-up', async () => {
    const same = { chat: `chat-${++chat}` };
    // Two disability procedures fit; the question asks the papers.
    const [offered] = await ask('xin xac nhan khuyet tat cho con can giay to gi', same);
    expect(actions(offered)).toEqual(['ask:d:1.001699:1', 'ask:d:1.001653:1', 'menu']);
    // "How long?" is about them: the same two, each opening its time, not the popular procedures.
    const [which] = await ask('mất bao lâu', same);
    expect(which?.text).toContain('trong các thủ tục trên');
    expect(actions(which)).toEqual(['ask:t:1.001699', 'ask:t:1.001653', 'menu']);
    // Typing one of them answers the time asked.
    const [time] = await ask('xác định mức độ khuyết tật', same);
    expect(time?.text).toMatch(/^⏱/);
    // Without a choice just before, a bare follow-up offers the common procedures.
    const [bare] = await ask('mất bao lâu');
    expect(actions(bare)).toContain('ask:c:1.001193');
  });

  it('labels each choice with the title its card has, capitalised, and in English for English chats', async () => {
    const choiceLabels = (reply: Reply | undefined) =>
      (reply?.buttons ?? []).flat().flatMap((b) => (!isUrlButton(b) && b.action.startsWith('ask:c:') ? [{ label: b.label, action: b.action }] : []));
    // "sổ đỏ" fits three land procedures, one of them without a short name of ours.
    const vi = choiceLabels((await ask('sổ đỏ'))[0]);
    expect(vi.length).toBeGreaterThan(1);
    for (const { label, action } of vi) {
      const [card] = await send({ kind: 'action', action });
      expect(label).toBe(card?.title?.slice(0, 60));
      expect(label.charAt(0)).toBe(label.charAt(0).toLocaleUpperCase('vi'));
    }
    const english = `en-${++chat}`;
    await send({ kind: 'text', text: '/lang en' }, { chat: english });
    const en = choiceLabels((await ask('copy', { chat: english }))[0]);
    expect(en.length).toBeGreaterThan(1);
    // Our English names, not the official Vietnamese ones.
    for (const { label } of en) expect(label).not.toMatch(/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i);
  });

  it('answers politely when nothing matches, with the office phone, and keeps no record of talk outside the catalog', async () => {
    const before = (await assistant.database.db.select().from(searchLog)).length;
    const [reply] = await ask('giá vàng hôm nay bao nhiêu');
    expect(reply?.text).toContain('chưa tìm thấy thủ tục phù hợp');
    expect(reply?.text).toContain('0200 000 0000');
    expect(reply?.text).not.toContain('giá vàng');
    expect(actions(reply)).toEqual(['menu']);
    // Talk that shares no words with the catalog is not a gap in it: nothing is kept.
    expect(await assistant.database.db.select().from(searchLog)).toHaveLength(before);
  });

  it.each([
    ['empty', ''],
    ['spaces', '   '],
    ['emoji only', '😀🙏👍'],
    ['control characters', '\u0000\u0001\u0002\u001b[31m'],
    ['binary', String.fromCharCode(...Array.from({ length: 200 }, (_, i) => i % 32))],
    ['huge', 'khai sinh '.repeat(5000)],
  ])('answers %s input politely, never with an error', async (_what, text) => {
    const replies = await ask(text);
    expect(replies.length).toBeGreaterThan(0);
    for (const reply of replies) expect(reply.text).not.toContain(APOLOGY);
  });

  it('sends a service handled elsewhere to its authority, and says only what the row says of the commune’s part', async () => {
    const [passport] = await ask('làm hộ chiếu ở đâu');
    expect(passport?.title).toBe('Việc này không làm tại Bộ phận một cửa xã/phường');
    expect(passport?.text).toContain('Phòng Quản lý xuất nhập cảnh');
    expect(urls(passport)).toEqual(['https://dichvucong.gov.vn']);
    // A lawsuit is for the court; the commune's part is land mediation, not the police.
    const [lawsuit] = await ask('còn muốn kiện ra tòa thì sao');
    expect(lawsuit?.text).toContain('Việc «Tranh chấp thừa kế, tranh chấp dân sự, khởi kiện tranh chấp đất đai» chỉ có một phần làm tại xã/phường');
    expect(lawsuit?.text).toContain('Tòa án nhân dân khu vực; riêng tranh chấp đất đai thì hòa giải tại UBND xã trước');
    expect(lawsuit?.text).not.toContain('Công an');
  });

  it('shows the prompt with popular procedures from the menu button', async () => {
    const [reply] = await send({ kind: 'action', action: 'ask' });
    expect(reply?.text).toContain('Anh/Chị muốn hỏi về thủ tục nào');
    expect(actions(reply)).toContain('ask:c:1.001193');
  });
});

describe('card details', () => {
  it('pages long lists of papers within each channel limit', async () => {
    for (const [channel, limit] of [
      ['telegram', 4096],
      ['zalo', 2000],
    ] as const) {
      const [card] = await send({ kind: 'action', action: 'ask:c:1.013978' }, { channel });
      expect((card?.title?.length ?? 0) + (card?.text.length ?? 0)).toBeLessThanOrEqual(limit);
      let page = 1;
      const seen: string[] = [];
      for (;;) {
        const [reply] = await send({ kind: 'action', action: `ask:d:1.013978:${page}` }, { channel });
        expect((reply?.title?.length ?? 0) + (reply?.text.length ?? 0)).toBeLessThanOrEqual(limit);
        seen.push(reply?.text ?? '');
        for (const action of actions(reply)) expect(new TextEncoder().encode(action).length).toBeLessThanOrEqual(64);
        if (!actions(reply).includes(`ask:d:1.013978:${page + 1}`)) break;
        page++;
      }
      expect(page).toBeGreaterThan(1);
      expect(seen.join('\n')).toContain('Đơn đăng ký đất đai');
    }
  });

  it('shows fee and time per channel and where to submit', async () => {
    const [fee] = await send({ kind: 'action', action: 'ask:f:1.004194' });
    expect(fee?.text).toMatch(/^💰 Lệ phí\n/);
    expect(fee?.text).toContain('Trực tuyến: 7.000 đồng; Trực tiếp: 10.000 đồng');
    const [time] = await send({ kind: 'action', action: 'ask:t:1.004194' });
    expect(time?.text).toMatch(/^⏱ Thời hạn giải quyết\n/);
    expect(time?.text).toContain('3 ngày làm việc');
    const [where] = await send({ kind: 'action', action: 'ask:w:1.004194' });
    expect(where?.text).toContain('Nơi nộp');
    expect(actions(where)).toContain('ask:c:1.004194');
  });

  it('tells on which day a complete dossier is done the same day (Vietnam time)', async () => {
    // The fake clock starts on Monday 23 Nov 2026, 08:00 in Vietnam.
    assistant.clock.set(localTime(2026, 11, 23, 8, 0));
    expect((await send({ kind: 'action', action: 'ask:c:1.001193' }))[0]?.text).toContain('Hôm nay là «Ngày không hẹn»');
    assistant.clock.set(localTime(2026, 11, 24, 8, 0));
    expect((await send({ kind: 'action', action: 'ask:c:1.001193' }))[0]?.text).toContain('Thứ Hai (30/11/2026) là «Ngày không hẹn»');
    expect((await send({ kind: 'action', action: 'ask:w:1.001193' }))[0]?.text).toContain('Thứ Hai (30/11/2026) là «Ngày không hẹn»');
    // Only where a same-day result is possible: not for a 15-27-day land or building procedure in
    // a same-day group, nor where the source's time has no unit (marriage "1", household business
    // not stated); residence registration has no same-day day at all.
    for (const code of ['1.013978', '1.013225', '1.000894', '1.001612', '1.004194'])
      expect((await send({ kind: 'action', action: `ask:c:${code}` }))[0]?.text, code).not.toContain('giải quyết ngay trong ngày');
  });

  it('speaks English to English chats, with our English name and the official one', async () => {
    const chatId = 'english-chat';
    await send({ kind: 'action', action: 'settings:lang:en' }, { chat: chatId });
    const [card] = await ask('register a marriage', { chat: chatId });
    expect(card?.title).toBe('Marriage registration');
    expect(card?.text).toContain('Fee: Free');
    expect(card?.text).toContain('Time: please ask the one-stop office');
    const [fee] = await send({ kind: 'action', action: 'ask:f:1.000894' }, { chat: chatId });
    expect(fee?.text).toContain('Official name (Vietnamese): Thủ tục đăng ký kết hôn');
  });

  it('answers an English question in English without /lang, remembers it, and offers the way back', async () => {
    const chatId = 'english-by-itself';
    const [card, note, ...rest] = await ask('How do I register my marriage?', { chat: chatId });
    expect(rest).toEqual([]);
    expect(card?.title).toBe('Marriage registration');
    expect(card?.text).toContain('Fee: Free');
    expect(note?.text).toContain('I will answer in English');
    expect(actions(note)).toEqual(['settings:lang:vi']);
    expect(await localeOf(chatId)).toBe('en');
    // The next short follow-up carries no language of its own: it stays English, with no second note.
    const followUp = await ask('how much?', { chat: chatId });
    expect(followUp).toHaveLength(1);
    expect(followUp[0]?.text).toContain('Free');
    // Writing Vietnamese again answers in Vietnamese.
    const [vi, viNote] = await ask('đăng ký khai sinh cho con', { chat: chatId });
    expect(vi?.title).toBe('Đăng ký khai sinh');
    expect(viNote?.text).toContain('trả lời Anh/Chị bằng tiếng Việt');
    expect(actions(viNote)).toEqual(['settings:lang:en']);
  });

  it('keeps Vietnamese for Vietnamese typed without accents, loanwords and short talk', async () => {
    for (const text of ['lam passport online o dau', 'ok bye', 'dang ky ket hon can giay to gi', 'cccd het han']) {
      const chatId = `stays-vi-${foldedId(text)}`;
      const replies = await ask(text, { chat: chatId });
      expect(replies.map((r) => r.text).join(' '), text).not.toContain('I will answer in English');
      expect(await localeOf(chatId), text).toBe('vi');
    }
  });

  it('does not take a step’s answer for a language: an English chat typing a Vietnamese name stays English', async () => {
    const chatId = 'english-step';
    await send({ kind: 'action', action: 'settings:lang:en' }, { chat: chatId });
    // The settings step that waits for the commune's name takes it as an answer, not a question.
    await send({ kind: 'action', action: 'settings:area' }, { chat: chatId });
    const replies = await ask('Phường Bến Nghé, Quận Một', { chat: chatId });
    expect(replies.map((r) => r.text).join(' ')).not.toContain('tiếng Việt');
    expect(await localeOf(chatId)).toBe('en');
  });
});

const foldedId = (text: string) => text.replace(/\W+/g, '-');
async function localeOf(chatId: string) {
  const [row] = await assistant.database.db.select({ locale: identities.locale }).from(identities).where(eq(identities.externalId, chatId));
  return row?.locale;
}

describe('deep links', () => {
  it.each(['p_1-001193', 'p_1.001193'])('opens the card from /start %s', async (payload) => {
    const [card] = await send({ kind: 'start', payload });
    expect(card?.title).toBe('Đăng ký khai sinh');
  });

  it.each(['p_9-999999', 'p_', 'p_../../x', `p_${'1'.repeat(60)}`])('answers %s with "not found" and the menu', async (payload) => {
    const replies = await send({ kind: 'start', payload });
    expect(replies[0]?.text).toContain('không còn trỏ tới thủ tục nào');
    expect(actions(replies[1])).toContain('ask');
  });

  it('opens the card from the web chat ?p= link', async () => {
    const res = await assistant.app.request('/chat/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ start: 'p_2.000815' }),
    });
    const body = (await res.json()) as { replies: Reply[] };
    expect(body.replies[0]?.title).toContain('Chứng thực bản sao');
  });

  it('treats a button for a removed procedure like an unknown link', async () => {
    const replies = await send({ kind: 'action', action: 'ask:d:9.999999:2' });
    expect(replies[0]?.text).toContain('không còn trỏ tới thủ tục nào');
  });
});

describe('catalog service', () => {
  it('replaces atomically: a write that fails half-way leaves the old catalog', async () => {
    const catalog = createCatalog({ db: assistant.database.db, clock: assistant.clock, logger: silentLogger, links: { publicUrl: 'https://motcua.example' } });
    await catalog.start();
    const before = (await catalog.list()).length;
    const [first] = loadDefaultCatalog();
    if (!first) throw new Error('empty catalog');
    const actor = { kind: 'token' as const, id: 1, name: 'test', role: 'admin' as const, officeId: null };
    // The same code twice passes no validation here and breaks the primary key mid-transaction.
    await expect(catalog.replaceAll(actor, [first, first], 'json')).rejects.toThrow();
    expect((await catalog.list()).length).toBe(before);
    expect((await catalog.search('đăng ký kết hôn')).choices[0]?.code).toBe('1.000894');
  });

  it('sees changes made by another process after its recheck interval', async () => {
    const mine = createCatalog({ db: assistant.database.db, clock: assistant.clock, logger: silentLogger, links: { publicUrl: 'x' }, recheckMs: 1000 });
    const other = createCatalog({ db: assistant.database.db, clock: assistant.clock, logger: silentLogger, links: { publicUrl: 'x' } });
    await mine.start();
    await other.start();
    const actor = { kind: 'token' as const, id: 1, name: 'test', role: 'admin' as const, officeId: null };
    const [first] = loadDefaultCatalog();
    if (!first) throw new Error('empty catalog');
    await other.upsert(actor, { ...first, code: '9.000123', name: 'Cấp phép treo biển quảng cáo', keywords: [], common: false });
    expect((await mine.search('treo biển quảng cáo')).choices[0]?.code).not.toBe('9.000123');
    assistant.clock.advance(1500);
    expect((await mine.search('treo biển quảng cáo')).choices[0]?.code).toBe('9.000123');
  });
});

describe('the topic of a conversation', () => {
  const MINUTE = 60_000;
  const stored = async (externalId: string) => {
    const [row] = await assistant.database.db
      .select({ state: conversationState.state })
      .from(conversationState)
      .innerJoin(identities, eq(identities.id, conversationState.identityId))
      .where(eq(identities.externalId, externalId));
    return row?.state ?? null;
  };

  it('answers a follow-up from the procedure just shown, and asks which procedure once the topic has lapsed', async () => {
    const id = `topic-${++chat}`;
    const said = assistant.clock.now();
    await ask('đăng ký kết hôn', { chat: id });
    expect((await ask('phí bao nhiêu?', { chat: id }))[0]?.text).toMatch(/^💰 Lệ phí/);
    assistant.clock.set(new Date(said.getTime() + 31 * MINUTE));
    const [which] = await ask('phí bao nhiêu?', { chat: id });
    expect(actions(which)).toContain('ask:c:1.001193');
    expect(which?.text).toMatch(/^Anh\/Chị muốn hỏi lệ phí của thủ tục nào/);
  });

  it('forgets the topic on "huỷ" without saying a task was cancelled', async () => {
    const id = `topic-${++chat}`;
    await ask('đăng ký kết hôn', { chat: id });
    const [menu, ...more] = await ask('huỷ', { chat: id });
    expect(more).toEqual([]);
    expect(actions(menu)).toContain('certify');
    expect(await stored(id)).toBeNull();
  });

  it('saves the topic once for follow-ups about the same procedure, and again when it changes or is old', async () => {
    const id = `topic-${++chat}`;
    await ask('đăng ký kết hôn', { chat: id });
    const first = await stored(id);
    expect(first).toMatchObject({ flow: 'ask', step: 'topic', data: { code: '1.000894' } });
    assistant.clock.advance(4 * MINUTE);
    await ask('mất bao lâu', { chat: id });
    expect(await stored(id)).toEqual(first);
    assistant.clock.advance(2 * MINUTE);
    await ask('cần mang gì', { chat: id });
    expect(await stored(id)).toMatchObject({ data: { code: '1.000894', at: assistant.clock.now().toISOString() } });
    await ask('đăng ký khai tử', { chat: id });
    expect(await stored(id)).toMatchObject({ data: { code: '1.000656' } });
  });
});
