/** The scanned-file types the office keeps, recognised by their first bytes (never by name or header). */
export const SCAN_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type ScanType = (typeof SCAN_TYPES)[number];

const SIGNATURES: [ScanType, number[]][] = [
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]], // %PDF-
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
];

/**
 * The type of a file judged by its magic bytes, or null when it is none of {@link SCAN_TYPES}.
 *
 * @example sniffScanType(new TextEncoder().encode('%PDF-1.7 ...')) // 'application/pdf'
 */
export function sniffScanType(bytes: Uint8Array): ScanType | null {
  for (const [type, signature] of SIGNATURES) {
    if (bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b)) return type;
  }
  return null;
}

export const extensionOf = (type: ScanType): string => ({ 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' })[type];
