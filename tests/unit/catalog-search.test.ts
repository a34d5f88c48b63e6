import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDefaultCatalog } from '../../knowledge/default-catalog';
import { applyLexicon, defaultLexicon } from '../../knowledge/lexicon';
import { cleanText, foldVietnamese, hasWords, lowerVietnamese, MAX_QUERY_LENGTH } from '../../knowledge/normalize';
import { createSearch } from '../../knowledge/search';

const catalog = loadDefaultCatalog();
const search = createSearch(catalog);

describe('Vietnamese normalisation', () => {
  it('folds composed and decomposed input, đ and punctuation alike', () => {
    const composed = 'Đăng ký khai sinh, kết hôn?';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    expect(foldVietnamese(composed)).toBe('dang ky khai sinh ket hon');
    expect(foldVietnamese(decomposed)).toBe('dang ky khai sinh ket hon');
    expect(lowerVietnamese(decomposed)).toBe('đăng ký khai sinh kết hôn');
  });

  it('reads both placements of a tone mark in oa, oe and uy as one spelling, and leaves other pairs alone', () => {
    expect(lowerVietnamese('Hòa giải, xóa, thủy, khỏe')).toBe(lowerVietnamese('hoà giải, xoá, thuỷ, khoẻ'));
    expect(lowerVietnamese('Ủy ban')).toBe('uỷ ban');
    // Not an open oa/oe/uy: the mark stays where it is.
    expect(lowerVietnamese('mùa của hoạch quý khuỷu')).toBe('mùa của hoạch quý khuỷu');
  });

  it('keeps what the dialog relies on: slash commands and document numbers', () => {
    expect(foldVietnamese('/Trợ giúp')).toBe('/tro giup');
    expect(foldVietnamese('123/2015/NĐ-CP')).toBe('123/2015/nd cp');
  });

  it('cleans control, zero-width and binary characters and caps the length', () => {
    expect(cleanText('khai\u0000sinh\u200b\u0007 ')).toBe('khai sinh');
    expect(cleanText('\uFFFD\uFFFDabc')).toBe('abc');
    expect(cleanText('a'.repeat(10_000))).toHaveLength(MAX_QUERY_LENGTH);
    expect(Array.from(cleanText('😀'.repeat(500))).length).toBe(MAX_QUERY_LENGTH);
  });

  it('tells words from emoji and symbols', () => {
    expect(hasWords('😀🙏 !!!')).toBe(false);
    expect(hasWords('sổ đỏ 🙏')).toBe(true);
  });

  it('rewrites everyday words and drops question words', () => {
    expect(applyLexicon(defaultLexicon, foldVietnamese('làm sổ đỏ ở đâu').split(' '))).toEqual(['giay', 'chung', 'nhan', 'quyen', 'su', 'dung', 'dat']);
    expect(applyLexicon(defaultLexicon, foldVietnamese('photo công chứng hết bao nhiêu tiền').split(' '))).toEqual(['chung', 'thuc', 'ban', 'sao']);
    // A phrase made of stop words survives when a synonym protects it.
    expect(applyLexicon(defaultLexicon, foldVietnamese('nhà ở xã hội').split(' '))).toEqual(['nha', 'o', 'xa', 'hoi']);
    // Stop words first, then the synonym: "bố tôi mất" is about a death.
    expect(applyLexicon(defaultLexicon, foldVietnamese('bố tôi mất').split(' '))).toEqual(['khai', 'tu']);
    // ...but words a dropped stop word brought together keep their own sense: "còn làm lại" (still
    // to redo) is not "con lai" (a child of mixed parentage), "thẻ mới mất bao lâu" (how long a new
    // card takes) is not "mới mất" (has just died).
    expect(applyLexicon(defaultLexicon, foldVietnamese('sổ không còn, làm lại khai sinh').split(' '))).toEqual(['so', 'lai', 'khai', 'sinh']);
    expect(applyLexicon(defaultLexicon, foldVietnamese('làm thẻ mới mất bao lâu').split(' '))).not.toContain('tu');
  });

  it("reads a child's age as the catalog's word for children, but not a limit or an adult's age", () => {
    const read = (text: string) => applyLexicon(defaultLexicon, foldVietnamese(text).split(' '));
    expect(read('căn cước cho con 6 tuổi')).toEqual(['can', 'cuoc', 'tre', 'em']);
    expect(read('bé 3 tháng tuổi')).toEqual(['be', 'tre', 'em']);
    expect(read('con mười hai tuổi')).toEqual(['con', 'tre', 'em']);
    expect(read('my five year old son')).toEqual(['tre', 'em']);
    expect(read('trẻ dưới 6 tuổi')).toEqual(['tre', 'em', 'duoi', '6', 'tuoi']);
    expect(read('ông 80 tuổi')).toEqual(['ong', '80', 'tuoi']);
    expect(read('con 14 tuổi')).toEqual(['con', '14', 'tuoi']);
  });
});

describe('procedure search', () => {
  it('answers a clear question with one confident match', () => {
    const result = search.search('làm giấy khai sinh cho con cần gì');
    expect(result.decision).toBe('one');
    expect(result.choices.map((c) => c.code)).toEqual(['1.001193']);
  });

  it('scores a question the same whichever tone placement the citizen was taught', () => {
    // "uỷ quyền" and "xoá" were words with accents the catalog never used, so they counted half.
    expect(search.search('uỷ quyền').hits[0]).toEqual(search.search('ủy quyền').hits[0]);
    expect(search.search('xoá tạm trú').hits[0]).toEqual(search.search('xóa tạm trú').hits[0]);
  });

  it('reads English kinship words as context, not as words the catalog lacks', () => {
    // "my nephew's guardian": whose guardian it is says nothing about the procedure asked for.
    expect(search.search("register me as the person who supervises my nephew's guardian")).toMatchObject({ decision: 'one', choices: [{ code: '3.000323' }] });
  });

  it('understands the same question typed without accents, with a typo, or in English', () => {
    for (const q of ['lam giay khai sinh cho con can gi', 'dang ky khai sjnh', 'khaisinh', 'register a birth']) {
      expect(search.search(q).hits[0]?.code, q).toBe('1.001193');
    }
  });

  it("tells the children's ID card from the adults' by the child's age", () => {
    for (const q of ['con 6 tuổi làm căn cước được không', 'id card for my 5 year old son']) expect(search.search(q).hits[0]?.code, q).toBe('1.014062');
    expect(search.search('con 16 tuổi làm căn cước lần đầu').hits[0]?.code).toBe('1.014061');
  });

  it('fixes sound-alike slips only where they make a known phrase', () => {
    expect(search.search('dang ky tam chu').hits[0]?.code).toBe('1.004194');
    expect(search.search('chung thuc chu ky').hits[0]?.code).toBe('2.000884');
    // m and n side by side on the keyboard: "kết hôm" is "kết hôn".
    expect(search.search('lam giay ket hom').hits[0]?.code).toBe('1.000894');
  });

  it('reads a word without a vowel as the word that makes a known pair with its neighbour', () => {
    expect(search.search('lam giay khai snh cho be o dau')).toMatchObject({ decision: 'one', choices: [{ code: '1.001193' }] });
  });

  it('takes a guess further off than a short word allows when a known pair stands on both sides of it', () => {
    // "pep" is 0.33 from "phep" (a short word may be 0.26 off alone); "cap phep" and "phep xay" vouch for it.
    const slipped = search.search('cấp pép xây dựng nhà 2 tầng');
    expect(slipped.hits[0]?.code).toBe('1.013225');
    expect(slipped.hits[0]?.score).toBeGreaterThanOrEqual(0.5);
    // One known pair is not enough for a word that has a vowel: "pep" beside "xay" alone stays itself.
    expect(search.search('pép xây').hits[0]?.score ?? 0).toBeLessThan(slipped.hits[0]?.score ?? 0);
  });

  it('trusts a word whose tone no Vietnamese syllable has as the word meant, not as another word', () => {
    // A syllable ending in p, t, c or ch takes the sắc or nặng tone: "thưc" and "cươc" are slips.
    const slipped = search.search('mât căn cươc').hits[0];
    const typedWithout = search.search('mat can cuoc').hits[0];
    expect(slipped?.code).toBe('1.014064');
    expect(slipped?.score).toBeGreaterThanOrEqual(typedWithout?.score ?? 1);
    expect(search.search('chứng thưc chữ kí').decision).toBe('one');
  });

  it('offers up to three close procedures when the question fits several', () => {
    const result = search.search('sổ đỏ');
    expect(result.decision).toBe('several');
    expect(result.choices.length).toBeGreaterThan(1);
    expect(result.choices.length).toBeLessThanOrEqual(3);
    expect(result.choices.map((c) => c.code)).toContain('1.013978');
  });

  it('finds nothing for questions outside the catalog', () => {
    for (const q of ['thời tiết hôm nay thế nào', 'giá vàng hôm nay', 'cách nấu phở', 'qwertyuiop asdfgh', '', '   ', '😀😀😀', '\u0000\u0001\u0002']) {
      expect(search.search(q).decision, JSON.stringify(q)).toBe('none');
    }
  });

  it('opens a procedure by its code', () => {
    expect(search.search('thủ tục 2.000815 là gì').choices).toEqual([expect.objectContaining({ code: '2.000815', score: 1 })]);
  });

  it('reads a civil-status book lost as well as the paper as re-registration, not a first registration', () => {
    // "mất" alone is ambiguous (lost, or died); "sổ cũng mất" / "tra ko ra sổ" say the office's record is gone too.
    expect(search.search('cụ mất năm 98 đã khai tử mà giấy mất, xã tra ko ra sổ').hits[0]?.code).toBe('1.005461');
    expect(search.search('giấy kết hôn mất, sổ cũng mất rồi').hits[0]?.code).toBe('1.004746');
  });

  it('ranks best first with scores in [0, 1]', () => {
    for (const q of ['chứng thực', 'căn cước', 'đất đai']) {
      const { hits } = search.search(q, { limit: 10 });
      // Broad words match several procedures: the order below is checked on a real list.
      expect(hits.length, q).toBeGreaterThan(1);
      for (const [i, hit] of hits.entries()) {
        expect(hit.score).toBeGreaterThanOrEqual(0);
        expect(hit.score).toBeLessThanOrEqual(1);
        if (i > 0) expect(hit.score).toBeLessThanOrEqual(hits[i - 1]?.score ?? 1);
      }
    }
  });

  it('says how much of a procedure’s name the question holds, whatever else it says', () => {
    const [named, mobile] = search.search('đăng ký khai sinh').hits;
    const [told] = search.search('vợ em mới sinh ở bệnh viện huyện hôm qua, giờ muốn đăng ký khai sinh cho cháu thì mang gì').hits;
    expect(named).toMatchObject({ code: '1.001193', closeness: 1 });
    expect(told).toMatchObject({ code: '1.001193', closeness: 1 });
    // The context lowers the score, not the closeness.
    expect(told?.score).toBeLessThan(named?.score ?? 0);
    // "Đăng ký khai sinh lưu động": the question holds part of its name.
    expect(mobile?.code).toBe('1.003583');
    expect(mobile?.closeness).toBeGreaterThan(0);
    expect(mobile?.closeness).toBeLessThan(1);
  });

  it('answers a 5,000-character word with no hit rather than a poor one', () => {
    expect(search.search('x'.repeat(5000), { limit: 10 }).hits).toEqual([]);
  });

  it('prefers the accented meaning when the citizen typed accents', () => {
    // "bán" (sell) and "bản" (copy) fold alike; the accents pick the sale contract.
    expect(search.search('chứng thực hợp đồng mua bán đất').hits[0]?.code).toBe('2.001035');
  });

  it('searches a catalog an admin changed (a new procedure is found)', () => {
    const custom = createSearch([...catalog, { code: '9.000001', name: 'Cấp giấy phép tổ chức lễ hội truyền thống', group: 'Văn hóa' }]);
    expect(custom.search('xin phép tổ chức lễ hội').choices[0]?.code).toBe('9.000001');
    expect(custom.size).toBe(catalog.length + 1);
  });
});

describe('the shipped lexicon and everyday keywords', () => {
  // JSON keeps the last of two equal keys without a word: a synonym written twice is one the
  // author meant to change, or a slip (the bundler warns at start; this fails).
  it('write each synonym phrase once', () => {
    const text = readFileSync(new URL('../../knowledge/data/synonyms.json', import.meta.url), 'utf8');
    // The phrases sit four spaces in; the file's note sits two.
    const keys = [...text.matchAll(/^ {4}("(?:[^"\\]|\\.)*")\s*:/gm)].map((m) => JSON.parse(m[1] as string) as string);
    // Every phrase the file holds was read, so the check below sees them all.
    expect(new Set(keys).size).toBe(Object.keys(JSON.parse(text).phrases).length);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it('list each keyword of a procedure once', () => {
    const repeated = catalog.flatMap((p) => (p.keywords ?? []).filter((k, i, all) => all.indexOf(k) !== i).map((k) => `${p.code}: ${k}`));
    expect(repeated).toEqual([]);
  });
});
