import { z } from 'zod';
import { type Office, type Procedure, procedureSchema } from '../vocabulary/procedure';
import everydayData from './data/everyday.json';
import proceduresData from './data/procedures.json';

const everydaySchema = z.object({
  procedures: z.record(
    z.string(),
    z.object({
      shortName: z.string().optional(),
      nameEn: z.string().optional(),
      keywords: z.array(z.string()).default([]),
      common: z.boolean().default(false),
    }),
  ),
});

/**
 * The catalog shipped with the project: 117 commune-level procedures from the national portal
 * (knowledge/data/procedures.json, see knowledge/data/README.md) with our short names, English
 * names and everyday keywords (knowledge/data/everyday.json) merged in. Parsed once per call;
 * callers keep it.
 */
export function loadDefaultCatalog(): Procedure[] {
  const everyday = everydaySchema.parse(everydayData).procedures;
  return z
    .array(procedureSchema)
    .parse(proceduresData)
    .map((procedure) => {
      const extra = everyday[procedure.code];
      return extra
        ? {
            ...procedure,
            shortName: procedure.shortName ?? extra.shortName,
            nameEn: procedure.nameEn ?? extra.nameEn,
            keywords: [...procedure.keywords, ...extra.keywords],
            common: procedure.common || extra.common,
          }
        : procedure;
    });
}

/**
 * The example office seeded on first start, clearly marked as a demo for the admin to replace.
 * Same-day days follow common practice: "Ngày không hẹn" on Mondays for the Tư pháp, LĐ-TBXH,
 * Văn phòng and Địa chính desks; "Ngày thứ 6 xanh" on Fridays for the other desks.
 */
export const DEMO_OFFICE: Office & { code: string } = {
  code: 'phuong-mau',
  name: 'Bộ phận một cửa UBND phường Mẫu (VÍ DỤ — quản trị viên cần sửa)',
  address: 'Số 1 đường Ví Dụ, phường Mẫu, tỉnh Mẫu (địa chỉ ví dụ)',
  phone: '0200 000 0000',
  openingHours: 'Thứ Hai – Thứ Sáu 7:30–11:30, 13:30–17:00; sáng Thứ Bảy 7:30–11:30',
  sameDay: [
    {
      weekday: 1,
      label: 'Ngày không hẹn',
      groups: [
        'Hộ tịch',
        'Chứng thực',
        'Nuôi con nuôi',
        'Hòa giải ở cơ sở',
        'Bảo trợ xã hội / người có công',
        'Giảm nghèo',
        'Đất đai',
        'Đăng ký biện pháp bảo đảm',
      ],
      cutoff: '16:00',
    },
    { weekday: 5, label: 'Ngày thứ 6 xanh', groups: ['Hộ kinh doanh', 'Xây dựng / nhà ở', 'Thuế liên quan nhà đất'], cutoff: '16:00' },
  ],
  holidays: [],
  portal: null,
  settings: {},
  demo: true,
};
