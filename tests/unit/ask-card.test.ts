import { describe, expect, it } from 'vitest';
import type { FlowContext } from '../../bot/core/flow';
import { ASPECT_LETTERS, aspectOfLetter, aspectReply, documentPages, procedureCard } from '../../bot/flows/ask-card';
import { createTranslator } from '../../bot/locales';
import { ASPECTS } from '../../knowledge/aspects';
import { DEMO_OFFICE, loadDefaultCatalog } from '../../knowledge/default-catalog';
import { paperLines } from '../../knowledge/facts';
import { localTime } from '../../lib/vn-time';
import { CHANNEL_CAPABILITIES, type ChannelName } from '../../vocabulary/channels';
import type { Locale } from '../../vocabulary/locales';
import type { Procedure } from '../../vocabulary/procedure';
import { isUrlButton, type Reply } from '../../vocabulary/replies';

const catalog = loadDefaultCatalog();
const byCode = (code: string) => catalog.find((p) => p.code === code) as Procedure;
const translator = createTranslator();
const LINK = 'https://motcua.example/?p=';
/** A Monday morning in Vietnam: the demo office's "Ngày không hẹn". */
const MONDAY = localTime(2026, 11, 23, 9, 0);

function context(channel: ChannelName = 'zalo', locale: Locale = 'vi', now = MONDAY): FlowContext {
  return {
    identity: { id: 1, channel, externalId: 'x', locale, displayName: null, citizenId: null, officeId: null },
    locale,
    t: translator(locale),
    translate: translator,
    now,
    services: {} as FlowContext['services'],
    state: null,
    capabilities: CHANNEL_CAPABILITIES[channel],
  };
}

const DEMO = { kind: 'known', office: { ...DEMO_OFFICE, id: 1 } } as const;
const card = (p: Procedure, ctx = context()) => procedureCard(ctx, p, DEMO, `${LINK}${p.code}`);
const section = (p: Procedure, aspect: (typeof ASPECTS)[number], page = 1, ctx = context()) => aspectReply(ctx, p, DEMO, `${LINK}${p.code}`, aspect, page);
const actions = (reply: Reply) => (reply.buttons ?? []).flat().flatMap((b) => (isUrlButton(b) ? [] : [b.action]));
const vi = translator('vi');

/** The longest first screen: what fits one phone screen without scrolling. */
const FIRST_SCREEN_CHARS = 600;
const FIRST_SCREEN_ROWS = 4;
const CHANNEL_LIMITS: [ChannelName, number][] = [
  ['zalo', 2000],
  ['telegram', 4096],
];

describe('the first screen of a procedure', () => {
  it.each(CHANNEL_LIMITS)('fits one phone screen for every procedure of the shipped catalog on %s, in both languages', (channel) => {
    for (const locale of ['vi', 'en'] as const) {
      for (const p of catalog) {
        const reply = card(p, context(channel, locale));
        const where = `${p.code} ${channel} ${locale}`;
        expect(reply.text.length, where).toBeLessThanOrEqual(FIRST_SCREEN_CHARS);
        expect((reply.title ?? '').length, where).toBeLessThanOrEqual(80);
        expect(reply.buttons?.length, where).toBeLessThanOrEqual(FIRST_SCREEN_ROWS);
        for (const action of actions(reply)) expect(Buffer.byteLength(action), where).toBeLessThanOrEqual(64);
      }
    }
  });

  it('shows a short title, fee, time, where and online, and no papers', () => {
    const reply = card(byCode('1.001193'));
    expect(reply.title).toBe('Đăng ký khai sinh');
    expect(reply.text).toContain('Mã thủ tục: 1.001193');
    expect(reply.text).toContain('💰 Lệ phí: Miễn phí');
    expect(reply.text).toContain('⏱ Thời hạn: Nhận hồ sơ trước 15 giờ: trả kết quả trong ngày (theo quy trình trên Cổng DVC)');
    expect(reply.text).toContain(`📍 Nơi nộp: ${DEMO_OFFICE.name}`);
    expect(reply.text).toContain('Nộp trực tuyến: có');
    expect(reply.text).not.toContain('Tờ khai');
    expect(reply.text).not.toMatch(/nguồn chỉ ghi|không ghi đơn vị/);
    expect(actions(reply)).toEqual(['ask:d:1.001193:1', 'ask:f:1.001193', 'ask:t:1.001193', 'ask:w:1.001193', 'ask:m:1.001193', 'ask:a:1.001193', 'menu']);
  });

  it('says "ask the office" for a time the source gives without its unit, with no remark about the source', () => {
    const reply = card(byCode('1.000894'));
    expect(reply.text).toContain('⏱ Thời hạn: xin liên hệ bộ phận một cửa\n');
  });

  it('gives the building permit a short title and the fee the province sets, not "free"', () => {
    const reply = card(byCode('1.013225'));
    expect(reply.title).toBe('Cấp giấy phép xây dựng mới (nhà ở riêng lẻ, công trình cấp III, IV)');
    expect(reply.text).toContain('💰 Lệ phí: do HĐND tỉnh quy định — xin liên hệ bộ phận một cửa');
    expect(reply.text).not.toContain('Miễn phí');
    expect(reply.text).toContain('Trực tuyến, Dịch vụ bưu chính: 20 ngày; Trực tiếp: 15 ngày');
  });

  it('shows the same-day day only where a same-day result is possible', () => {
    expect(card(byCode('1.001193')).text).toContain('Hôm nay là «Ngày không hẹn»');
    // Land and building procedures are in the office's same-day groups but take 15-27 days.
    for (const code of ['1.013978', '1.012784', '1.013225', '1.000894']) expect(card(byCode(code)).text, code).not.toContain('giải quyết ngay trong ngày');
  });

  it('speaks English with our English name', () => {
    const reply = card(byCode('1.000894'), context('web', 'en'));
    expect(reply.title).toBe('Marriage registration');
    expect(reply.text).toContain('Fee: Free');
    expect(reply.text).toContain('Time: please ask the one-stop office');
  });
});

describe('the sections of a card', () => {
  const headings: Record<(typeof ASPECTS)[number], string> = {
    fee: '💰 Lệ phí',
    time: '⏱ Thời hạn giải quyết',
    papers: '📎 Giấy tờ cần mang',
    where: '📍 Nơi nộp hồ sơ',
    online: '🌐 Nộp trực tuyến',
    forms: '📝 Biểu mẫu cần điền',
    who: '👤 Ai được nộp hồ sơ',
  };

  it('has one letter per section, each action within 64 bytes', () => {
    expect(new Set(Object.values(ASPECT_LETTERS)).size).toBe(ASPECTS.length);
    expect(Object.values(ASPECT_LETTERS)).not.toContain('c');
    for (const aspect of ASPECTS) expect(aspectOfLetter(ASPECT_LETTERS[aspect])).toBe(aspect);
    expect(aspectOfLetter('c')).toBeNull();
  });

  it.each(CHANNEL_LIMITS)('start with the short title and their heading, fit %s and lead to the other sections', (channel, limit) => {
    for (const p of catalog) {
      for (const aspect of ASPECTS) {
        const reply = section(p, aspect, 1, context(channel));
        const where = `${p.code} ${aspect}`;
        expect(reply.title, where).toBe(card(p).title);
        expect(reply.text.split('\n')[0]?.startsWith(vi(`ask.section_${aspect}`)), where).toBe(true);
        expect(reply.text.length, where).toBeLessThanOrEqual(limit - 200);
        expect(reply.buttons?.length ?? 0, where).toBeLessThanOrEqual(4);
        const acts = actions(reply);
        expect(acts, where).toContain(`ask:c:${p.code}`);
        for (const other of ASPECTS.filter((a) => a !== aspect))
          expect(
            acts.some((a) => a.startsWith(`ask:${ASPECT_LETTERS[other]}:${p.code}`)),
            `${where} → ${other}`,
          ).toBe(true);
      }
    }
  });

  it('uses the locale heading of each section', () => {
    for (const aspect of ASPECTS) expect(vi(`ask.section_${aspect}`)).toBe(headings[aspect]);
  });

  it('keeps every fee qualifier: the province sets it, abroad only, temporary reductions with their dates', () => {
    const permit = section(byCode('1.013225'), 'fee').text;
    expect(permit).toContain('do HĐND tỉnh quy định');
    expect(permit).toContain('Tên đầy đủ: Cấp giấy phép xây dựng mới');
    const copy = section(byCode('2.000815'), 'fee').text;
    expect(copy).toContain('\n\n2.000 đồng/trang\n\n');
    expect(copy).toContain('Chỉ áp dụng tại cơ quan đại diện Việt Nam ở nước ngoài (không phải lệ phí tại bộ phận một cửa): 10 USD/bản');
    expect(card(byCode('2.000815')).text).not.toContain('USD');
    const idCard = section(byCode('1.014063'), 'fee').text;
    expect(idCard).toContain('Kể từ ngày 01/7/2025 đến hết ngày 31/12/2026 mức thu lệ phí cấp đổi, cấp lại thẻ căn cước bằng 50% mức thu');
    expect(card(byCode('1.014063')).text).toContain('có mức giảm tạm thời');
    expect(section(byCode('1.001612'), 'fee').text).toContain(
      'Trực tuyến, Dịch vụ bưu chính: 150.000 đồng; Trực tiếp: 50.000 đồng (mức cụ thể do HĐND tỉnh quy định)',
    );
  });

  it('prints money one way in each language', () => {
    expect(section(byCode('2.001019'), 'fee').text).toContain('50.000 đồng/di chúc');
    expect(section(byCode('2.001019'), 'fee', 1, context('zalo', 'en')).text).toContain('50,000 VND/di chúc');
    for (const p of catalog) expect(card(p).text, p.code).not.toMatch(/Việt Nam Đồng|VNĐ|₫|\d,\d{3} đồng/);
  });

  it('gives the steps-stated time with the sentence it comes from', () => {
    const time = section(byCode('1.001193'), 'time').text;
    expect(time).toContain('Nhận hồ sơ trước 15 giờ: trả kết quả trong ngày (theo quy trình trên Cổng DVC)');
    expect(time).toContain('«nếu tiếp nhận hồ sơ sau 15 giờ thì có Phiếu hẹn, trả kết quả cho người yêu cầu trong ngày làm việc tiếp theo');
  });

  it('gives times per case where one channel has several', () => {
    const time = section(byCode('3.000228'), 'time').text;
    expect(time).toContain('• Trực tiếp: 3 ngày làm việc');
    expect(time).toContain('• Trực tiếp: 7 ngày làm việc');
    expect(time).toContain('chưa có thẻ Căn cước công dân gắn chip');
  });

  it('pages the papers in the source order, notes kept and marked, within each channel limit', () => {
    const p = byCode('1.001193');
    for (const [channel] of CHANNEL_LIMITS) {
      const pages = documentPages(context(channel), p);
      const all = pages.flat().join('\n');
      const order = paperLines(p).map((d) => d.text.slice(0, 40));
      let at = -1;
      for (const start of order) {
        const next = all.indexOf(start.slice(0, 30), at + 1);
        expect(next, start).toBeGreaterThan(at);
        at = next;
      }
      expect(all).toContain('   ◦ Ghi chú: Trường hợp người yêu cầu đã nộp bản điện tử Giấy chứng sinh');
      for (let page = 1; page <= pages.length; page++) {
        const reply = section(p, 'papers', page, context(channel));
        expect(reply.text.split('\n')[0]).toBe(`📎 Giấy tờ cần mang (${page}/${pages.length})`);
      }
    }
    expect(section(p, 'papers').text).toContain('Tên đầy đủ: Thủ tục đăng ký khai sinh');
  });

  it('lists the forms to fill without file names, or says there are none', () => {
    const forms = section(byCode('1.001193'), 'forms').text;
    expect(forms).toContain('• Tờ khai đăng ký khai sinh theo mẫu');
    expect(section(byCode('1.003197'), 'forms').text).toContain('• Tờ khai thay đổi thông tin cư trú (Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA)');
    expect(section(byCode('2.000815'), 'forms').text).toContain('Nguồn không nêu tờ khai hay mẫu đơn riêng');
    for (const p of catalog) expect(section(p, 'forms').text, p.code).not.toMatch(/\.(docx?|pdf)\b/i);
  });

  it('says who may apply and how to authorise someone, from the source', () => {
    const who = section(byCode('1.001193'), 'who').text;
    expect(who).toContain('Người được nộp hồ sơ (theo nguồn): Công dân Việt Nam, Người Việt Nam định cư ở nước ngoài.');
    expect(who).toContain('Văn bản ủy quyền (được chứng thực)');
    expect(section(byCode('1.001776'), 'who').text).toContain('Nguồn không ghi ai được nộp hồ sơ');
  });

  it('offers the portal in the online section', () => {
    const online = section(byCode('1.001193'), 'online');
    expect(online.text).toContain('Có thể nộp trực tuyến');
    expect((online.buttons ?? []).flat().some((b) => isUrlButton(b) && b.url.startsWith('https://dichvucong.gov.vn/'))).toBe(true);
  });
});
