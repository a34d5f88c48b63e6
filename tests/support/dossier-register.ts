import { REGISTER_COLUMNS } from '../../domain/dossiers/csv-register';

/** One register row as an office's software exports it (Vietnamese dates and channel words). */
export interface RegisterLine {
  code: string;
  name?: string;
  phone?: string;
  received?: string;
  due?: string;
  channel?: string;
  office?: string;
}

/** A day's register CSV with the template's header and the given rows. */
export function registerCsv(rows: RegisterLine[]): string {
  const lines = rows.map((r) =>
    [
      r.code,
      '1.001193',
      'Đăng ký khai sinh',
      'Hộ tịch',
      r.office ?? '',
      r.name ?? 'Nguyễn Thị Lan',
      r.phone ?? '0912345678',
      r.channel ?? 'trực tiếp',
      r.received ?? '23/11/2026 07:30',
      r.due ?? '25/11/2026 16:00',
    ].join(','),
  );
  return [REGISTER_COLUMNS.join(','), ...lines].join('\n');
}
