import type { Sealer } from '../../../lib/seal';
import type { PhoneMessage } from '../../../vocabulary/messages';

/**
 * The text of a phone message: a code unsealed into the configured OTP text (`{{code}}`,
 * `{{minutes}}`), or a notification's own text. Null when there is nothing sendable.
 */
export function phoneMessageText(message: PhoneMessage, otpText: string, sealer: Sealer): { text: string; code?: string } | null {
  switch (message.purpose) {
    case 'otp': {
      const code = sealer.unseal(message.sealedCode);
      if (!code.ok) return null;
      return { text: otpText.replaceAll('{{code}}', code.value).replaceAll('{{minutes}}', String(message.ttlMinutes)), code: code.value };
    }
    case 'notification':
      return { text: message.text };
    case 'scrubbed':
      return null;
  }
}
