import type { PhoneSender, SendOutcome } from '../../../domain/messaging/senders';
import { sha256Hex } from '../../../lib/crypto';
import type { Logger } from '../../../lib/logger';
import { fail, ok, type Result } from '../../../lib/result';
import type { Sealer } from '../../../lib/seal';
import type { PhoneMessage, TemplateData } from '../../../vocabulary/messages';
import type { ZaloClient } from './client';
import { outcomeOf } from './errors';
import { SEND_RATE_PER_SECOND, TRACKING_ID_LIMIT } from './protocol';
import type { TokenManager } from './tokens';

/**
 * An approved ZNS template, by the notification kind it serves (otp, status_change, reminder_*).
 * `params` maps the template's own parameter names to ours; without it our parameters are sent
 * as they are (ZNS wants the keys to match the template exactly).
 */
export interface ZnsTemplate {
  id: string;
  params?: Record<string, string>;
}
export type ZnsTemplates = Record<string, ZnsTemplate>;

/** The template kind of one-time codes; its parameters are `otp` and `ttl_minutes`. */
export const OTP_TEMPLATE_KIND = 'otp';

/** +84912345678 -> 84912345678, the form ZNS takes. */
export const znsPhone = (e164: string) => e164.replace(/^\+/, '');

/**
 * A tracking_id from the message's identity: the same queued message gets the same id on every
 * attempt, so Zalo's reports and ours line up (≤ 48 characters of [0-9a-f]).
 */
export const trackingId = (...parts: string[]) => sha256Hex(parts.join('\u0000')).slice(0, Math.min(TRACKING_ID_LIMIT, 40));

/** The template_data for `template`, or the name of a parameter it needs that we do not have. */
export function templateData(
  template: ZnsTemplate,
  available: Record<string, string>,
  defaults: Record<string, string> = available,
): Result<Record<string, string>, 'missing_param'> {
  if (!template.params) return ok(defaults);
  const data: Record<string, string> = {};
  for (const [theirs, ours] of Object.entries(template.params)) {
    const value = available[ours];
    if (value === undefined) return fail('missing_param', `template parameter ${theirs} needs our ${ours}, which this message does not have`);
    data[theirs] = value;
  }
  return ok(data);
}

export interface ZnsDeps {
  client: ZaloClient;
  tokens: TokenManager;
  templates: ZnsTemplates;
  /** Development mode: ZNS delivers only to phones that are admins of the OA. */
  development: boolean;
  logger: Logger;
}

/**
 * Sends a notification's template to a phone. Used by the ZNS phone sender and by the Zalo chat
 * sender when the interaction window is closed.
 */
export async function sendTemplate(deps: ZnsDeps, phone: string, template: TemplateData, key: string): Promise<SendOutcome> {
  const entry = deps.templates[template.kind];
  if (!entry) return { status: 'undeliverable', error: `no ZNS template configured for "${template.kind}"` };
  const data = templateData(entry, template.params);
  if (!data.ok) return { status: 'invalid', error: data.message ?? data.reason };
  return sendZns(deps, phone, entry.id, data.value, key);
}

async function sendZns(deps: ZnsDeps, phone: string, templateId: string, data: Record<string, string>, key: string): Promise<SendOutcome> {
  try {
    await deps.tokens.withToken((token) =>
      deps.client.sendZnsTemplate(token, { phone: znsPhone(phone), templateId, templateData: data, trackingId: key, development: deps.development }),
    );
    return { status: 'sent' };
  } catch (error) {
    const outcome = outcomeOf(error);
    deps.logger.warn('ZNS send failed', { phone, templateId, status: outcome.status, error: 'error' in outcome ? outcome.error : undefined });
    return outcome;
  }
}

/**
 * The 'zns' phone sender: one-time codes (unsealed only here, just before sending) and
 * notifications, as approved templates. ZNS cannot carry free text, so a notification without a
 * configured template is undeliverable on this channel.
 *
 * @example
 * senders.push(createZnsSender({ client, tokens, templates: config.zalo.znsTemplates, development: false, logger, otpSealer }));
 */
export function createZnsSender(deps: ZnsDeps & { otpSealer: Sealer }): PhoneSender {
  return {
    kind: 'phone',
    channel: 'zns',
    ratePerSecond: SEND_RATE_PER_SECOND,
    perChatIntervalMs: 0,
    async send(phone, message: PhoneMessage) {
      switch (message.purpose) {
        case 'otp': {
          const entry = deps.templates[OTP_TEMPLATE_KIND];
          if (!entry) return { status: 'undeliverable', error: `no ZNS template configured for "${OTP_TEMPLATE_KIND}"` };
          const code = deps.otpSealer.unseal(message.sealedCode);
          if (!code.ok) return { status: 'invalid', error: 'the sealed one-time code cannot be opened (APP_SECRET changed?)' };
          const data = templateData(entry, { otp: code.value, ttl_minutes: String(message.ttlMinutes) }, { otp: code.value });
          if (!data.ok) return { status: 'invalid', error: data.message ?? data.reason };
          return sendZns(deps, phone, entry.id, data.value, trackingId('otp', phone, message.sealedCode));
        }
        case 'notification':
          if (!message.template) return { status: 'undeliverable', error: 'ZNS sends approved templates only and this notification has none' };
          return sendTemplate(
            deps,
            phone,
            message.template,
            trackingId('notification', phone, message.template.kind, JSON.stringify(message.template.params), message.text),
          );
        case 'scrubbed':
          return { status: 'invalid', error: 'the message was already final (scrubbed)' };
      }
    },
  };
}
