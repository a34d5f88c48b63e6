import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inbound } from '../../bot/core/types';
import { createTranslator } from '../../bot/locales';
import { areas, identities, offices } from '../../db/schema';
import { findIdentity } from '../../domain/messaging/conversations';
import { linkVerifiedPhone } from '../../domain/people/citizens';
import type { Reply } from '../../vocabulary/replies';
import { isUrlButton } from '../../vocabulary/replies';
import { callApi } from '../support/api';
import { createTestAssistant, type TestAssistant } from '../support/assistant';
import { recordStatements } from '../support/query-faults';
import { createTestToken } from '../support/tokens';

/**
 * A province deployment: the citizen's office comes from the commune/ward they name, an office's
 * link or poster, or the dossier they look up, and every answer that names a place, hours, phone
 * or same-day day names that office; a citizen who has not said where they live is asked, and
 * given no office's address meanwhile.
 */

const vi = createTranslator()('vi');
const BIRTH = '1.001193';

const BEN_NGHE = {
  code: 'phuong-ben-nghe',
  name: 'Bộ phận một cửa UBND phường Bến Nghé',
  address: '29 Lê Duẩn, phường Bến Nghé',
  phone: '028 3829 0001',
  openingHours: '7:30-17:00 thứ Hai - thứ Sáu',
  sameDay: [{ weekday: 1, label: 'Ngày không hẹn', groups: ['Hộ tịch'], cutoff: '16:00' }],
  holidays: [{ date: '2026-12-31', name: 'Nghỉ cuối năm của phường' }],
};
const TAN_PHU = {
  code: 'xa-tan-phu',
  name: 'Bộ phận một cửa UBND xã Tân Phú',
  address: 'Ấp 3, xã Tân Phú',
  phone: '0251 3860 002',
  openingHours: '7:00-16:30 thứ Hai - thứ Bảy',
  sameDay: [{ weekday: 5, label: 'Ngày thứ 6 xanh', groups: ['Hộ tịch'], cutoff: '15:00' }],
  holidays: [],
};
/** What no answer to a citizen who has not said where they live may contain. */
const EVERY_ADDRESS_AND_PHONE = [BEN_NGHE.address, BEN_NGHE.phone, TAN_PHU.address, TAN_PHU.phone, 'Số 1 đường Ví Dụ', '0200 000 0000'];

let assistant: TestAssistant;
const ids = { benNghe: 0, tanPhu: 0 };
let chats = 0;

beforeAll(async () => {
  assistant = await createTestAssistant({ PUBLIC_URL: 'https://motcua.example' });
  // Monday 8:00 in Vietnam: Bến Nghé's same-day day, four days before Tân Phú's.
  const { db } = assistant.database;
  const at = assistant.clock.now();
  for (const [key, office] of [
    ['benNghe', BEN_NGHE],
    ['tanPhu', TAN_PHU],
  ] as const) {
    const [row] = await db
      .insert(offices)
      .values({ ...office, createdAt: at, updatedAt: at })
      .returning({ id: offices.id });
    ids[key] = row?.id ?? 0;
  }
  await db.insert(areas).values([
    { code: 'ben-nghe', name: 'Phường Bến Nghé', folded: 'phuong ben nghe', officeId: ids.benNghe, createdAt: at },
    { code: 'da-kao', name: 'Phường Đa Kao', folded: 'phuong da kao', officeId: ids.benNghe, createdAt: at },
    { code: 'tan-phu', name: 'Xã Tân Phú', folded: 'xa tan phu', officeId: ids.tanPhu, createdAt: at },
    { code: 'phu-my', name: 'Xã Phú Mỹ', folded: 'xa phu my', officeId: null, createdAt: at },
  ]);
  // The catalog notices other writers' changes within its recheck interval.
  assistant.clock.advance(30_000);
});
afterAll(async () => assistant.close());

/** A citizen on the web chat, talking to the real dialog over the test database. */
function citizen(channel: 'web' | 'telegram' = 'web') {
  const externalId = `province-${++chats}`;
  const send = async (message: Inbound): Promise<Reply[]> => (await assistant.dialog.handle({ channel, externalId, message })) ?? [];
  return {
    say: (text: string) => send({ kind: 'text', text }),
    press: (action: string) => send({ kind: 'action', action }),
    open: (payload: string) => send({ kind: 'start', payload }),
    async officeId() {
      return (await findIdentity(assistant.database.db, channel, externalId))?.officeId ?? null;
    },
    async identityId() {
      return (await findIdentity(assistant.database.db, channel, externalId))?.id ?? null;
    },
  };
}

const texts = (replies: Reply[]) => replies.map((r) => r.text).join('\n');
const actions = (replies: Reply[]) => replies.flatMap((r) => (r.buttons ?? []).flat()).flatMap((b) => (isUrlButton(b) ? [] : [b.action]));
const where = (office: typeof BEN_NGHE) => vi('ask.where', { name: office.name, address: office.address, hours: office.openingHours, phone: office.phone });
const fields = (office: typeof BEN_NGHE) => ({ office: office.name, address: office.address, phone: office.phone, hours: office.openingHours });
const expectNoOffice = (replies: Reply[]) => {
  for (const named of EVERY_ADDRESS_AND_PHONE) expect(texts(replies)).not.toContain(named);
};

describe('a province deployment: each citizen is served by their own office', () => {
  it('gives two citizens of two communes their own office, hours and same-day day for the same question', async () => {
    const lan = citizen();
    const binh = citizen();
    for (const [person, typed, area, office] of [
      [lan, 'ben nghe', 'Phường Bến Nghé', BEN_NGHE],
      [binh, 'Xã Tân Phú', 'Xã Tân Phú', TAN_PHU],
    ] as const) {
      const card = await person.say('làm giấy khai sinh cho con');
      expect(card[0]?.title).toBe('Đăng ký khai sinh');
      expect(card[0]?.text).toContain(vi('ask.whereAsk'));
      expectNoOffice(card);
      const answered = await person.say(typed);
      expect(answered[0]?.text).toBe(vi('place.set', { area, office: office.name }));
      expect(answered[1]?.text).toContain(where(office));
    }
    const lanCard = texts(await lan.say('đăng ký khai sinh'));
    const binhCard = texts(await binh.say('đăng ký khai sinh'));
    expect(lanCard).toContain(BEN_NGHE.address);
    expect(lanCard).toContain(vi('ask.sameDayToday', { label: 'Ngày không hẹn', cutoff: '16:00' }));
    expect(binhCard).toContain(TAN_PHU.address);
    expect(binhCard).toContain(vi('ask.sameDayNext', { label: 'Ngày thứ 6 xanh', cutoff: '15:00', weekday: vi('ask.weekday5'), date: '27/11/2026' }));
    expect(texts(await lan.say('giờ làm việc'))).toBe(vi('talk.hours', fields(BEN_NGHE)));
    expect(texts(await binh.say('giờ làm việc'))).toBe(vi('talk.hours', fields(TAN_PHU)));
    expect(texts(await lan.say('thứ 7 có làm việc không'))).toContain(vi('talk.holiday', { date: '31/12/2026', name: 'Nghỉ cuối năm của phường' }));
    expect(texts(await lan.say('tôi muốn gặp cán bộ'))).toBe(vi('talk.human', fields(BEN_NGHE)));
    expect(texts(await binh.say('tôi muốn gặp cán bộ'))).toBe(vi('talk.human', fields(TAN_PHU)));
  });

  it('asks a citizen who has not said where they live, naming no office, and answers once they pick their commune', async () => {
    const chat = citizen();
    const asked = await chat.say('số điện thoại của một cửa');
    expect(asked[0]?.text).toBe(vi('place.ask'));
    expectNoOffice(asked);
    // Only three communes have an office: offered as buttons.
    expect(actions(asked)).toEqual(['ask:p:ben-nghe', 'ask:p:da-kao', 'ask:p:tan-phu', 'menu']);
    const answered = await chat.press('ask:p:da-kao');
    expect(texts(answered)).toBe(`${vi('place.set', { area: 'Phường Đa Kao', office: BEN_NGHE.name })}\n${vi('talk.phone', fields(BEN_NGHE))}`);
    expect(await chat.officeId()).toBe(ids.benNghe);
  });

  it('keeps the topic while it asks, and offers close names for a typo', async () => {
    const chat = citizen();
    expectNoOffice(await chat.press(`ask:w:${BIRTH}`));
    const offered = await chat.say('tan phuu');
    expect(offered[0]?.text).toBe(vi('settings.areaClosest', { typed: 'tan phuu' }));
    expect(actions(offered)).toContain('ask:p:tan-phu');
    // A follow-up about the procedure is still about it meanwhile, and the list still answers where to go for it.
    expect((await chat.say('lệ phí bao nhiêu'))[0]?.text).toContain(vi('ask.section_fee'));
    const answered = await chat.press('ask:p:tan-phu');
    expect(answered[1]?.text).toContain(where(TAN_PHU));
  });

  it('says when no office serves the commune named, and sends the citizen to its People’s Committee', async () => {
    const chat = citizen();
    await chat.say('địa chỉ bộ phận một cửa');
    const answered = await chat.say('phu my');
    expect(texts(answered)).toBe(vi('place.noOffice', { area: 'Xã Phú Mỹ' }));
    expect(await chat.officeId()).toBeNull();
  });

  it('is served by office B after opening office B’s link, or a poster of office B', async () => {
    const chat = citizen('telegram');
    const welcome = await chat.open(`o_${TAN_PHU.code}`);
    expect(welcome[0]?.text).toBe(vi('place.welcome', fields(TAN_PHU)));
    expect(await chat.officeId()).toBe(ids.tanPhu);
    expect(texts(await chat.say('địa chỉ'))).toBe(vi('talk.address', fields(TAN_PHU)));

    const scanned = citizen();
    const card = await scanned.open(`p_1-001193_${TAN_PHU.code}`);
    expect(card[0]?.text).toContain(TAN_PHU.address);
    expect(await scanned.officeId()).toBe(ids.tanPhu);

    // A link naming no office opens the menu and changes nothing.
    const stray = citizen();
    expect(texts(await stray.open('o_no-such-office'))).toContain(vi('menu.prompt'));
    expect(await stray.officeId()).toBeNull();
  });

  it('prints posters and QR codes that name office B and carry its code', async () => {
    const poster = await assistant.app.request(`/posters/${BIRTH}?office=${TAN_PHU.code}`);
    expect(poster.status).toBe(200);
    const html = await poster.text();
    expect(html).toContain(TAN_PHU.address);
    expect(html).not.toContain(BEN_NGHE.address);
    // Without an office, a province poster names none.
    const plain = await (await assistant.app.request(`/posters/${BIRTH}`)).text();
    expect(plain).toContain(vi('ask.whereNone'));
    for (const named of EVERY_ADDRESS_AND_PHONE) expect(plain).not.toContain(named);
    for (const path of [`/qr/procedures/${BIRTH}.svg?office=${TAN_PHU.code}`, `/qr/offices/${TAN_PHU.code}.png`]) {
      expect((await assistant.app.request(path)).status, path).toBe(200);
    }
    for (const path of [`/posters/${BIRTH}?office=nowhere`, `/qr/procedures/${BIRTH}.svg?office=Bad_Code`, '/qr/offices/nowhere.svg']) {
      expect((await assistant.app.request(path)).status, path).toBe(404);
    }
  });

  it('answers a dossier look-up with the dossier’s office, which then serves a chat that had none', async () => {
    const staff = await createTestToken(assistant.database.db, 'staff', { officeId: ids.tanPhu });
    const res = await callApi(assistant.app, 'PUT', '/api/v1/dossiers/HS-PROVINCE-0001', staff, {
      procedureCode: '1.000894',
      field: 'Hộ tịch',
      applicantName: 'Phạm Minh Tuấn',
      applicantPhone: '0912 345 678',
      channel: 'counter',
      receivedAt: '2026-11-23T08:00:00+07:00',
      dueAt: '2026-11-26T16:00:00+07:00',
    });
    expect(res.status).toBe(201);
    const officeLine = vi('dossier.card_office', { name: TAN_PHU.name, address: TAN_PHU.address, phone: TAN_PHU.phone });

    const newcomer = citizen();
    await newcomer.say('HS-PROVINCE-0001');
    expect(texts(await newcomer.say('5678'))).toContain(officeLine);
    expect(await newcomer.officeId()).toBe(ids.tanPhu);
    expect(texts(await newcomer.say('giờ làm việc'))).toBe(vi('talk.hours', fields(TAN_PHU)));

    // A chat that said its commune keeps its own office.
    const neighbour = citizen();
    await neighbour.say('giờ làm việc');
    await neighbour.say('tôi ở phường Bến Nghé');
    await neighbour.say('HS-PROVINCE-0001');
    expect(texts(await neighbour.say('5678'))).toContain(officeLine);
    expect(await neighbour.officeId()).toBe(ids.benNghe);
  });

  it('changes the office when the citizen changes their commune in Settings', async () => {
    const chat = citizen();
    await chat.say('giờ làm việc');
    await chat.say('ben nghe');
    expect(await chat.officeId()).toBe(ids.benNghe);
    await chat.press('settings:area');
    await chat.say('tan phu');
    const saved = await chat.press('settings:area:set:tan-phu');
    expect(saved[0]?.text).toContain(vi('settings.officeSet', { name: TAN_PHU.name }));
    expect(saved[0]?.text).toContain(vi('settings.statusOffice', { name: TAN_PHU.name }));
    expect(await chat.officeId()).toBe(ids.tanPhu);
    expect(texts(await chat.say('số điện thoại'))).toBe(vi('talk.phone', fields(TAN_PHU)));
  });

  it("gives a chat linked by a proved phone the office of the citizen's other chat, unless it has its own", async () => {
    const { db } = assistant.database;
    const first = citizen();
    await first.open(`o_${TAN_PHU.code}`);
    const telegram = citizen('telegram');
    await telegram.say('xin chào');
    const own = citizen();
    await own.open(`o_${BEN_NGHE.code}`);
    const at = assistant.clock.now();
    for (const chat of [first, telegram, own]) await linkVerifiedPhone(db, (await chat.identityId()) ?? 0, '+84912000018', at);
    expect(await telegram.officeId()).toBe(ids.tanPhu);
    expect(await own.officeId()).toBe(ids.benNghe);
  });

  it('finds the office with no round trip of its own: a question about hours is the arrival statement alone', async () => {
    const chat = citizen();
    await chat.say('giờ làm việc');
    await chat.say('ben nghe');
    const sent = recordStatements(assistant.database.db);
    const answered = await chat.say('giờ làm việc');
    expect(texts(answered)).toBe(vi('talk.hours', fields(BEN_NGHE)));
    const statements = sent.take();
    expect(statements).toHaveLength(1);
    expect(statements[0]).toContain('insert into identities');
    // A card is the arrival and the topic saved, as in a deployment of one office.
    await chat.say('đăng ký kết hôn');
    expect(sent.take()).toHaveLength(2);
  });
});

describe('a deployment of one office', () => {
  it('names that office without asking where the citizen lives', async () => {
    const single = await createTestAssistant();
    try {
      const say = async (text: string) => texts((await single.dialog.handle({ channel: 'web', externalId: 'one', message: { kind: 'text', text } })) ?? []);
      expect(await say('làm giấy khai sinh')).toContain('0200 000 0000');
      expect(await say('giờ làm việc')).not.toContain(vi('place.ask'));
      const [row] = await single.database.db.select().from(identities).where(eq(identities.externalId, 'one'));
      expect(row?.officeId).toBeNull();
    } finally {
      await single.close();
    }
  });
});
