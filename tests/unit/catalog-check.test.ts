import { describe, expect, it } from 'vitest';
import { checkCatalog } from '../../knowledge/catalog-check';
import { loadDefaultCatalog } from '../../knowledge/default-catalog';
import type { Procedure } from '../../vocabulary/procedure';

const shipped = loadDefaultCatalog();
const byCode = (code: string) => structuredClone(shipped.find((p) => p.code === code) as Procedure);

describe('the catalog check', () => {
  it('finds nothing to fix in the shipped catalog', () => {
    expect(checkCatalog(shipped)).toEqual([]);
  });

  it('fails on a deliberately broken copy, naming each problem', () => {
    const birth = byCode('1.001193');
    birth.name = `${birth.name} (tên mô tả, chưa đối chiếu tên chính thức)`;
    birth.documents[0] = { ...(birth.documents[0] as Procedure['documents'][number]), name: 'Tờ khai đăng ký khai sinh.1.Tokhai (2).doc' };
    birth.documents.push({ name: 'hoặc', quantity: '01 bản sao', group: '', note: false });
    birth.documents.push({ name: 'Trường hợp có giấy chứng sinh điện tử thì không nộp bản giấy.', quantity: '0 bản chính', group: '', note: false });
    // The birth card names no agency: a real one, twice, as the scrape gave it on 28 cards.
    birth.agency = 'Công an cấp Xã; Công an cấp Xã';
    birth.channels.push(structuredClone(birth.channels[0] as Procedure['channels'][number]));
    birth.channels.push({ channel: 'Trực tiếp', processingTime: '', fee: '', feeNote: '', description: 'qua Cổng dịch vụ công quốc gia' });
    const permit = byCode('1.013225');
    permit.shortName = undefined;
    permit.feeNotes = ['Lệ phí theo quy định của Bộ Tài chính.'];
    permit.channels = permit.channels.map((c) => ({ ...c, feeNote: '' }));
    const remark = byCode('1.000894');
    remark.channels = remark.channels.map((c) => ({ ...c, description: 'Thời hạn: nguồn chỉ ghi «1»' }));

    const problems = checkCatalog([birth, permit, remark]);
    const found = (code: string, field: string, message: RegExp) =>
      problems.some((p) => p.code === code && p.field.startsWith(field) && message.test(p.message));
    expect(found('1.001193', 'name', /curation remark/)).toBe(true);
    expect(found('1.001193', 'documents.0.name', /file name/)).toBe(true);
    expect(found('1.001193', 'documents.', /fragment/)).toBe(true);
    expect(found('1.001193', 'documents.', /0 bản/)).toBe(true);
    expect(found('1.001193', 'agency', /named twice/)).toBe(true);
    expect(found('1.001193', 'channels.', /duplicated channel row/)).toBe(true);
    expect(found('1.001193', 'channels.', /without time or fee/)).toBe(true);
    expect(found('1.013225', 'fee', /Miễn phí/)).toBe(true);
    expect(found('1.013225', 'shortName', /no short name/)).toBe(true);
    expect(found('1.000894', 'channels.', /curation remark/)).toBe(true);
  });
});
