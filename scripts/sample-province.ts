/**
 * Writes knowledge/data/sample-province.json (`npx tsx scripts/sample-province.ts`): a synthetic
 * province of 120 commune and ward offices for tests and demos. Every name and address says
 * "(dữ liệu mẫu)": none of these offices exists. The names are made from common place-name
 * syllables, the phones from a range no operator uses, the portal from a reserved domain
 * (.example). The output is the same on every run.
 */
import { writeFileSync } from 'node:fs';
import type { ProvinceOffice } from '../domain/catalog/office-file';
import { officeCodeFrom } from '../vocabulary/procedure';

const OUT = new URL('../knowledge/data/sample-province.json', import.meta.url);
const MARK = '(dữ liệu mẫu)';
const FIRST = ['An', 'Bình', 'Tân', 'Phú', 'Hòa', 'Long', 'Thạnh', 'Vĩnh', 'Mỹ', 'Hưng', 'Đông', 'Tây', 'Thuận', 'Phước', 'Hiệp', 'Quang', 'Xuân', 'Thái'];
const SECOND = ['Lợi', 'Thành', 'Lộc', 'Định', 'Khánh', 'Tiến', 'Trung', 'Hải', 'Sơn', 'Phong', 'Nghĩa', 'Hòa'];
const OFFICES = 120;

/** Distinct two-syllable names in a fixed order: An Lợi, Bình Thành, Tân Lộc, ... */
function placeNames(): string[] {
  const names: string[] = [];
  for (let round = 0; round < SECOND.length; round++)
    for (const [i, first] of FIRST.entries()) {
      const second = SECOND[(i + round) % SECOND.length] ?? '';
      if (first !== second) names.push(`${first} ${second}`);
    }
  return [...new Set(names)];
}

const SAME_DAY: ProvinceOffice['sameDay'] = [
  { weekday: 1, label: 'Ngày không hẹn', groups: ['Hộ tịch', 'Chứng thực', 'Đất đai'], cutoff: '16:00' },
  { weekday: 5, label: 'Ngày thứ 6 xanh', groups: ['Hộ kinh doanh', 'Xây dựng / nhà ở'], cutoff: '16:00' },
];
const HOLIDAYS: ProvinceOffice['holidays'] = [
  { date: '2027-01-01', name: 'Tết Dương lịch' },
  { date: '2027-04-30', name: 'Ngày Giải phóng miền Nam' },
  { date: '2027-05-01', name: 'Ngày Quốc tế Lao động' },
  { date: '2027-09-02', name: 'Quốc khánh' },
];

function sampleProvince(): ProvinceOffice[] {
  const names = placeNames();
  const former = names.slice(OFFICES);
  return names.slice(0, OFFICES).map((place, i) => {
    const kind = i % 4 === 0 ? 'phường' : 'xã';
    const area = `${kind === 'phường' ? 'Phường' : 'Xã'} ${place}`;
    const code = officeCodeFrom(`${kind} ${place}`);
    // Every third office also serves a commune merged into it in 2025, which citizens still name.
    const merged = i % 3 === 0 ? former[i / 3] : undefined;
    return {
      code,
      name: `Bộ phận một cửa UBND ${kind} ${place} ${MARK}`,
      address: `Số ${1 + (i % 9)} đường Trung Tâm, ${kind} ${place}, tỉnh Mẫu ${MARK}`,
      phone: `0200 ${String(100 + i).padStart(3, '0')} ${String(1000 + i * 7).slice(-4)}`,
      openingHours: i % 5 === 0 ? 'Thứ Hai – Thứ Sáu 7:00–11:30, 13:00–17:00; sáng Thứ Bảy 7:30–11:30' : 'Thứ Hai – Thứ Sáu 7:30–11:30, 13:30–17:00',
      sameDay: i % 2 === 0 ? SAME_DAY : SAME_DAY.slice(0, 1),
      holidays: HOLIDAYS,
      portal: `https://dichvucong.tinh-mau.example/don-vi/${code}`,
      settings: {
        ...(i % 2 === 0 ? { handoverHours: 'Thứ Hai – Thứ Sáu 7:30–17:00' } : {}),
        ...(i % 10 === 0 ? { certificationFees: { tiers: [{ fromPage: 1, perPage: 2_000 }], maxPerCopy: 100_000 } } : {}),
      },
      demo: false,
      areas: [{ code, name: area }, ...(merged ? [{ code: officeCodeFrom(`xa-cu ${merged}`), name: `Xã ${merged} (cũ)` }] : [])],
    };
  });
}

const offices = sampleProvince();
const file = {
  about: `Dữ liệu mẫu tổng hợp: ${offices.length} bộ phận một cửa của một tỉnh không có thật, cho kiểm thử và trình diễn. Synthetic sample data: no office here exists.`,
  offices,
};
writeFileSync(OUT, `${JSON.stringify(file, null, 2)}\n`);
process.stdout.write(`wrote ${offices.length} offices, ${offices.reduce((n, o) => n + o.areas.length, 0)} areas to ${OUT.pathname}\n`);
