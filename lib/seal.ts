import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { fail, ok, type Result } from './result';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Encrypts short secrets (a one-time code in an outbox row) so they never rest in clear text. */
export interface Sealer {
  /** `v1.<base64url(iv | tag | ciphertext)>`; a fresh IV every time. */
  seal(plaintext: string): string;
  /** The plaintext, or `invalid` when the value was altered or sealed with another key or purpose. */
  open(sealed: string): Result<string, 'invalid'>;
}

/**
 * AES-256-GCM with a key derived by HKDF-SHA256 from the server secret and a purpose label, so
 * each use of the secret gets its own key (an OTP sealer cannot open what another purpose sealed).
 *
 * @example
 * const sealer = createSealer(config.appSecret, 'outbox-otp');
 * const sealed = sealer.seal('123456'); // 'v1.…'
 * sealer.open(sealed); // { ok: true, value: '123456' }
 */
export function createSealer(secret: string, purpose: string): Sealer {
  const key = Buffer.from(hkdfSync('sha256', secret, 'mot-cua-seal', purpose, 32));
  return {
    seal(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
    },
    open(sealed) {
      const [version, data] = sealed.split('.', 2);
      if (version !== VERSION || !data) return fail('invalid');
      const raw = Buffer.from(data, 'base64url');
      if (raw.length < IV_BYTES + TAG_BYTES) return fail('invalid');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return ok(Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8'));
      } catch {
        return fail('invalid');
      }
    },
  };
}
