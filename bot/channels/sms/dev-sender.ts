import type { Database } from '../../../db/types';
import type { PhoneSender } from '../../../domain/messaging/senders';
import { putInWebInbox, webChatAwaitingCode } from '../../../domain/messaging/web-inbox';
import type { Clock } from '../../../lib/clock';
import type { Logger } from '../../../lib/logger';
import type { Sealer } from '../../../lib/seal';
import type { PhoneChannel } from '../../../vocabulary/channels';
import type { Locale, Translate } from '../../../vocabulary/locales';
import { phoneMessageText } from './text';

export interface DevSenderDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  sealer: Sealer;
  otpText: string;
  translator: (locale: Locale) => Translate;
  /** NODE_ENV: the sender refuses to exist in production. */
  env: 'development' | 'test' | 'production';
  channel: PhoneChannel;
}

/**
 * Development stand-in for an SMS gateway, so the certification flow can be tried with no
 * contract: it writes the code to the server log and shows it in the web chat that asked for it.
 * Both are exactly what production must never do, so constructing it there throws.
 */
export function createDevOtpSender(deps: DevSenderDeps): PhoneSender {
  if (deps.env === 'production') throw new Error('the development OTP sender must never run in production');
  const log = deps.logger.child({ component: 'dev-otp-sender' });
  return {
    kind: 'phone',
    channel: deps.channel,
    ratePerSecond: 100,
    perChatIntervalMs: 0,
    async send(phone, message) {
      const content = phoneMessageText(message, deps.otpText, deps.sealer);
      if (!content) return { status: 'invalid', error: 'nothing to send' };
      log.warn('development sender: message NOT sent to the phone', { phone, text: content.text });
      if (content.code === undefined) return { status: 'sent' };
      // The web chat that asked for this phone's newest code gets to see it.
      const asker = await webChatAwaitingCode(deps.db, phone);
      if (asker) {
        const t = deps.translator(asker.locale);
        await putInWebInbox(deps.db, asker.externalId, [{ text: t('certify.devCode', { code: content.code }) }], deps.clock.now());
      }
      return { status: 'sent' };
    },
  };
}
