/**
 * Vietnamese text folding: lower case, diacritics removed (đ -> d), punctuation collapsed to
 * spaces. "Chứng thực bản sao?" and "chung thuc ban sao" fold to the same string, so citizens who
 * type without accents are understood.
 *
 * @example foldVietnamese('Đăng ký KHAI SINH!') // 'dang ky khai sinh'
 */
export function foldVietnamese(input: string): string {
  return input
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}/]+/gu, ' ')
    .trim();
}
