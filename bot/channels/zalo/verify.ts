import { constantTimeEqual, sha256Hex } from '../../../lib/crypto';
import { SIGNATURE_PREFIX } from './protocol';

/**
 * Zalo's event signature: plain SHA-256 (not HMAC) over appId + raw body + the body's
 * `timestamp` + the OA secret key, hex. The raw body must be the exact bytes received.
 *
 * @example zaloSignature('3608465248940903967', '{"event_name":"follow",...}', '1540363714987', oaSecretKey)
 */
export function zaloSignature(appId: string, rawBody: string, timestamp: string, oaSecretKey: string): string {
  return sha256Hex(`${appId}${rawBody}${timestamp}${oaSecretKey}`);
}

/** Compares the header (with or without its `mac=` prefix, any hex case) to the expected signature in constant time. */
export function signatureMatches(header: string | undefined, expected: string): boolean {
  if (!header) return false;
  const value = header.trim();
  const bare = value.toLowerCase().startsWith(SIGNATURE_PREFIX) ? value.slice(SIGNATURE_PREFIX.length) : value;
  return constantTimeEqual(bare.trim().toLowerCase(), expected);
}

export type Freshness = 'fresh' | 'stale' | 'future';

/**
 * Whether an event's timestamp (epoch ms) is recent enough to accept. Zalo re-sends a failed
 * event with its original body (so its original timestamp) for up to about two hours; the window
 * is configuration, and replays inside it are stopped by the event id instead.
 */
export function freshness(timestampMs: number, now: Date, maxAgeMs: number, maxSkewMs: number): Freshness {
  const age = now.getTime() - timestampMs;
  if (age > maxAgeMs) return 'stale';
  if (age < -maxSkewMs) return 'future';
  return 'fresh';
}
