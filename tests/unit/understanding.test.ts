import { describe, expect, it } from 'vitest';
import { loadDefaultCatalog } from '../../knowledge/default-catalog';
import { findReceiptCode } from '../../knowledge/receipt-code';
import { defaultReferrals } from '../../knowledge/referrals';
import { createSearch, type SearchHit, type SearchResult } from '../../knowledge/search';
import { readTalk } from '../../knowledge/talk';
import { answerOf, type Topic, type Understanding, understand } from '../../knowledge/understand';

describe('findReceiptCode', () => {
  it.each([
    ['tra ho so h19.22-261122-0001 giup em', 'H19.22-261122-0001'],
    ['mã 000.00.20.H19-231122-0012.', '000.00.20.H19-231122-0012'],
    ['HS-NAME-OWN-0001', 'HS-NAME-OWN-0001'],
  ])('finds the code in «%s»', (text, code) => {
    expect(findReceiptCode(text)).toBe(code);
  });

  it.each([
    ['a phone number with dashes', 'số tôi 0905-246-813'],
    ['a procedure code', 'thủ tục 1.001193'],
    ['a lower-case procedure code with a province suffix', '1.001193.h19'],
    ['a year range', 'năm 2024-2025'],
    ['an amount', 'phí 100.000đ'],
    ['a short test code', 'CT-WEB-1'],
    ['plain words', 'tra cứu hồ sơ'],
  ])('takes no code from %s', (_what, text) => {
    expect(findReceiptCode(text)).toBeNull();
  });
});

describe('readTalk', () => {
  it('reads a whole message of talk as its intent, fillers and all', () => {
    expect(readTalk('cảm ơn bạn nhiều nhé')).toEqual({ intents: ['thanks'], aspects: [], aspectPhrases: {}, content: [], cue: false });
    expect(readTalk('alo có ai không').intents).toEqual(['greeting']);
    expect(readTalk('thứ 7 có làm việc không').intents).toEqual(['weekend']);
    expect(readTalk('tôi quên mã hồ sơ').intents).toEqual(['lost_code']);
  });

  it('puts the specific need before the courtesy', () => {
    expect(readTalk('chào em, cho hỏi giờ làm việc').intents).toEqual(['hours', 'greeting']);
  });

  it('reads the part of a procedure asked about, and keeps the words that may name one', () => {
    expect(readTalk('phí bao nhiêu?')).toMatchObject({ aspects: ['fee'], content: [] });
    expect(readTalk('How much does it cost?')).toMatchObject({ aspects: ['fee'], content: [] });
    expect(readTalk('làm hộ chiếu ở đâu')).toMatchObject({ aspects: ['where'], content: ['ho', 'chieu'], cue: true });
    // The longest phrase wins: "bao nhiêu ngày" asks the time, not the fee.
    expect(readTalk('bao nhiêu ngày thì xong').aspects).toEqual(['time']);
  });

  it('reads the everyday ways of asking found missing in the tuning conversations', () => {
    // An English stop phrase ("where do i") no longer swallows the question word that asks.
    expect(readTalk('where do I submit it?').aspects).toEqual(['where']);
    expect(readTalk('where can I get it?').aspects).toEqual(['where']);
    expect(readTalk('nguoi khac ky thay duoc khong').aspects).toEqual(['who']);
    expect(readTalk('làm online trên vneid được không')).toMatchObject({ aspects: ['online'], content: [] });
    expect(readTalk('cán bộ tiếp dân thái độ không tốt').intents).toEqual(['complaint']);
    expect(readTalk('bot trả lời nhanh ghê, hay quá')).toMatchObject({ intents: ['praise'], content: [] });
    expect(readTalk("you're really helpful")).toMatchObject({ intents: ['praise'], content: [] });
    expect(readTalk('can I speak to staff?')).toMatchObject({ intents: ['human'], content: [] });
    expect(readTalk('thoi duoc roi').intents).toEqual(['acknowledge']);
    // Thanks with a word of praise is thanks.
    expect(readTalk('great, thanks').intents[0]).toBe('thanks');
    // "Chào nhé" takes leave; "chào bạn" greets.
    expect(readTalk('chào nhé').intents).toEqual(['goodbye']);
    expect(readTalk('chào bạn').intents).toEqual(['greeting']);
  });

  it('refuses a word typed with other accents than the phrase, and takes it typed without any', () => {
    expect(readTalk('nơi cư ngụ').intents).toEqual([]);
    expect(readTalk('bot ngu quá').intents).toEqual(['insult']);
    expect(readTalk('cam on').intents).toEqual(['thanks']);
  });
});

describe('understand', () => {
  const referrals = defaultReferrals();
  const search = createSearch(loadDefaultCatalog(), { referrals: referrals.documents });
  const deps = { search: (q: string) => search.search(q), referrals };
  const marriage: Topic = { code: '1.000894', name: 'Thủ tục đăng ký kết hôn' };
  const meant = (text: string, topic: Topic | null = null) => understand(text, topic, deps);

  it('starts a look-up for a receipt code anywhere in the message', async () => {
    expect(await meant('cho tôi tra hồ sơ H19.22-261122-0001 với')).toEqual({ kind: 'dossier', code: 'H19.22-261122-0001' });
  });

  it('answers a follow-up from the topic, and asks which procedure without one', async () => {
    expect(await meant('phí bao nhiêu?', marriage)).toEqual({ kind: 'procedure', code: '1.000894', aspect: 'fee' });
    expect(await meant('phí bao nhiêu?')).toEqual({ kind: 'which', aspect: 'fee' });
    expect(await meant('nộp ở đâu?')).toEqual({ kind: 'intent', intent: 'address' });
  });

  it('switches topic to a procedure named, or to the variation the catalog has as its own procedure', async () => {
    expect(await meant('còn đăng ký khai tử thì sao', marriage)).toMatchObject({ kind: 'procedure', code: '1.000656' });
    expect(await meant('vợ là người nước ngoài thì sao', marriage)).toMatchObject({ kind: 'procedure', code: '2.000806' });
  });

  it('leaves the topic for the whole name of another procedure, and takes a variation only when it holds most of its name', async () => {
    const singleStatus: Topic = { code: '1.004873', name: 'Thủ tục cấp Giấy xác nhận tình trạng hôn nhân' };
    const firstChoice = (u: Understanding) => (u.kind === 'choices' ? [u.aspect, u.hits[0]?.code] : [u.kind]);
    expect(firstChoice(await meant('còn đăng ký kết hôn thì cần gì', singleStatus))).toEqual(['papers', '1.000894']);
    // "Đăng ký thường trú" + "tạm trú" would name the declaration for people who qualify for neither.
    const permanent: Topic = { code: '1.004222', name: 'Đăng ký thường trú' };
    expect(firstChoice(await meant('con tam tru thi sao', permanent))).toEqual([null, '1.004194']);
  });

  it('searches once when the message itself names the topic: the topic’s name adds nothing to it', async () => {
    const asked: string[] = [];
    const counting = {
      ...deps,
      search: (q: string) => {
        asked.push(q);
        return search.search(q);
      },
    };
    expect(await understand('làm giấy đăng ký kết hôn cần giấy tờ gì', marriage, counting)).toEqual({ kind: 'procedure', code: '1.000894', aspect: 'papers' });
    expect(asked).toHaveLength(1);
    // Words that name no procedure of their own are read with the topic's name.
    expect(await understand('vợ là người nước ngoài thì sao', marriage, counting)).toMatchObject({ kind: 'procedure', code: '2.000806' });
    expect(asked).toHaveLength(3);
  });

  it('answers the section asked about a procedure named in the same message', async () => {
    expect(await meant('phí đăng ký kết hôn bao nhiêu')).toEqual({ kind: 'procedure', code: '1.000894', aspect: 'fee' });
    // "có mất phí không" asks the fee; its "mất" (lost) does not point at re-registering a lost certificate.
    expect(await meant('đăng ký kết hôn có mất phí không')).toEqual({ kind: 'procedure', code: '1.000894', aspect: 'fee' });
  });

  it('shows the card of a procedure whose own name holds the words of a section', async () => {
    // "lệ phí" and "chi phí" are part of these procedures' names: the question names them.
    expect(await meant('khai lệ phí trước bạ nhà đất')).toEqual({ kind: 'procedure', code: '1.007277', aspect: null });
    expect(await meant('hỗ trợ chi phí mai táng cho người hưởng bảo trợ xã hội')).toEqual({ kind: 'procedure', code: '1.001731', aspect: null });
    // Another phrase of the same question still asks it.
    expect(await meant('lệ phí trước bạ nhà đất bao nhiêu')).toEqual({ kind: 'procedure', code: '1.007277', aspect: 'fee' });
  });

  it('sends a service handled elsewhere to its authority, but keeps a procedure that shares its words', async () => {
    expect(await meant('làm hộ chiếu ở đâu')).toMatchObject({ kind: 'referral', referral: { id: 'passport' } });
    expect(await meant('ly hôn')).toMatchObject({ kind: 'referral', referral: { id: 'divorce' } });
    expect(await meant('đăng ký khai tử')).toMatchObject({ kind: 'procedure', code: '1.000656' });
    // Going to court is a lawsuit, not a "tòa nhà" (building) to permit.
    expect(await meant('còn muốn kiện ra tòa thì sao')).toMatchObject({ kind: 'referral', referral: { id: 'civil_dispute' } });
  });

  it('keeps only plausible procedure questions among those with no answer', async () => {
    expect(await meant('giá vàng hôm nay')).toMatchObject({ kind: 'none', plausible: false });
    expect(await meant('thủ tục khai thác cát sỏi ven sông')).toMatchObject({ kind: 'none', plausible: true });
  });

  it('names the answer in the CLI’s three words', async () => {
    expect(answerOf(await meant('đăng ký kết hôn'))).toBe('card');
    expect(answerOf(await meant('cảm ơn'))).toBe('none');
    expect(answerOf(await meant('làm hộ chiếu'))).toBe('none');
  });

  describe('a long message that tells a situation', () => {
    const hit = (code: string, score: number, closeness: number): SearchHit => ({ code, name: code, score, closeness });
    const found = (hits: SearchHit[]): SearchResult => ({
      decision: hits[0] && hits[0].score >= 0.42 ? 'several' : 'none',
      hits,
      choices: hits.filter((h) => h.score >= 0.42),
      referral: null,
    });
    const answering = (result: SearchResult) => ({ search: () => result, referrals });
    const long = 'hai anh em ruột cãi nhau về ranh giới đất vườn, nhờ xã đứng ra hòa giải được không';

    it('is offered the procedures whose name it mostly holds, though its context lowers their score', async () => {
      const close = hit('1.012812', 0.4, 0.62);
      const partial = hit('1.013967', 0.41, 0.3);
      // Offered in the search's order: the closest name is not always the procedure meant.
      const far = hit('1.000894', 0.3, 0.9);
      expect(await understand(long, null, answering(found([partial, close, far])))).toEqual({ kind: 'choices', hits: [partial, close], aspect: null });
      // The same scores for a message of a few words, or names matched only in part: nothing.
      expect(answerOf(await understand('hòa giải đất vườn', null, answering(found([partial, close]))))).toBe('none');
      expect(answerOf(await understand(long, null, answering(found([hit('1.012812', 0.44, 0.4)]))))).toBe('none');
      expect(answerOf(await understand(long, null, answering(found([hit('1.012812', 0.36, 0.9)]))))).toBe('none');
    });

    it('finds the procedure on the shipped catalog', async () => {
      const meantLong = await meant(long);
      expect(meantLong).toMatchObject({ kind: 'choices' });
      expect(meantLong.kind === 'choices' && meantLong.hits[0]?.code).toBe('1.012812');
    });
  });
});
