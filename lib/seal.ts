import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { fail, ok, type Result } from './result';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts small secrets that must be read back later (a one-time code waiting in the outbox,
 * the Zalo OA tokens), so a copy of the database alone does not reveal them. AES-256-GCM with a
 * key derived from APP_SECRET by HKDF per `purpose`, so a value sealed for one purpose cannot be
 * opened as another. Output: `v1.<iv>.<ciphertext>.<tag>` in base64url.
 *
 * @example
 * const otp = createSealer(config.appSecret, 'otp');
 * const sealed = otp.seal('482913');       // 'v1.Qm9...'
 * otp.unseal(sealed);                      // { ok: true, value: '482913' }
 */
export function createSealer(appSecret: string, purpose: string) {
  const key = Buffer.from(hkdfSync('sha256', appSecret, 'mot-cua-seal', purpose, 32));
  return {
    seal(plaintext: string): string {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    /** Fails with 'unreadable' for a tampered value, another key or purpose, or a malformed string. */
    unseal(sealed: string): Result<string, 'unreadable'> {
      const [version, iv, body, tag] = sealed.split('.');
      if (version !== VERSION || iv === undefined || body === undefined || tag === undefined) return fail('unreadable');
      try {
        const ivBytes = Buffer.from(iv, 'base64url');
        const tagBytes = Buffer.from(tag, 'base64url');
        if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) return fail('unreadable');
        const decipher = createDecipheriv('aes-256-gcm', key, ivBytes);
        decipher.setAuthTag(tagBytes);
        return ok(Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8'));
      } catch {
        return fail('unreadable');
      }
    },
  };
}

export type Sealer = ReturnType<typeof createSealer>;
