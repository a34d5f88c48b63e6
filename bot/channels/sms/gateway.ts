import type { PhoneSender, SendOutcome } from '../../../domain/messaging/senders';
import { sha256Hex } from '../../../lib/crypto';
import type { Sealer } from '../../../lib/seal';
import type { PhoneMessage } from '../../../vocabulary/messages';
import type { SmsGatewayConfig } from '../../../vocabulary/settings';
import { phoneMessageText } from './text';

export interface SmsGatewayDeps {
  config: SmsGatewayConfig;
  otpText: string;
  sealer: Sealer;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/**
 * A generic SMS HTTP gateway (eSMS, SpeedSMS and the like): POSTs the configured JSON body with
 * `{{phone}}` (+84…), `{{phoneNational}}` (09…), `{{phoneDigits}}` (849…), `{{text}}` and
 * `{{requestId}}` filled in, and maps the answer to a SendOutcome. Placeholders are filled inside
 * the parsed JSON's strings, so nothing a message contains can change the body's shape.
 *
 * `{{requestId}}` is the same for every retry of one message, so a gateway that deduplicates by it
 * (eSMS RequestId, answer 124 "duplicate") never sends a code twice; list 124 in
 * SMS_GATEWAY_SUCCESS_VALUES to count it as sent.
 *
 * @example
 * SMS_GATEWAY_URL=https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/
 * SMS_GATEWAY_BODY={"ApiKey":"…","SecretKey":"…","Phone":"{{phoneNational}}","Content":"{{text}}","SmsType":"8","RequestId":"{{requestId}}"}
 * SMS_GATEWAY_SUCCESS_FIELD=CodeResult   SMS_GATEWAY_SUCCESS_VALUES=100,124
 */
export function createSmsGatewaySender(deps: SmsGatewayDeps): PhoneSender {
  const doFetch = deps.fetch ?? fetch;
  const timeoutMs = deps.timeoutMs ?? 10_000;
  return {
    kind: 'phone',
    channel: 'sms',
    ratePerSecond: deps.config.ratePerSecond,
    perChatIntervalMs: 0,
    async send(phone: string, message: PhoneMessage): Promise<SendOutcome> {
      const content = phoneMessageText(message, deps.otpText, deps.sealer);
      if (!content) return { status: 'invalid', error: `nothing to send (${message.purpose === 'otp' ? 'sealed code unreadable' : message.purpose})` };
      const national = phone.replace(/^\+84/, '0');
      const values: Record<string, string> = {
        phone,
        phoneNational: national,
        phoneDigits: phone.replace(/^\+/, ''),
        text: content.text,
        requestId: sha256Hex(`${phone}|${message.purpose === 'otp' ? message.sealedCode : content.text}`).slice(0, 32),
      };
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
      if (deps.config.authHeader) headers[deps.config.authHeader[0]] = deps.config.authHeader[1];
      let res: Response;
      try {
        res = await doFetch(deps.config.url, {
          method: 'POST',
          headers,
          body: JSON.stringify(fill(deps.config.body, values)),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        return { status: 'retry', error: `SMS gateway unreachable: ${error instanceof Error ? error.message : String(error)}` };
      }
      return outcomeOf(res, deps.config);
    },
  };
}

async function outcomeOf(res: Response, config: SmsGatewayConfig): Promise<SendOutcome> {
  if (res.status === 429) {
    const seconds = Number(res.headers.get('retry-after') ?? res.headers.get('x-rate-limit-reset') ?? '60');
    return { status: 'retry', error: 'SMS gateway rate limit (429)', retryAfterMs: (Number.isFinite(seconds) && seconds > 0 ? seconds : 60) * 1000 };
  }
  if (res.status >= 500 || res.status === 408) return { status: 'retry', error: `SMS gateway HTTP ${res.status}` };
  if (res.status >= 400) return { status: 'invalid', error: `SMS gateway refused the message: HTTP ${res.status} ${(await res.text()).slice(0, 200)}` };
  if (!config.successField) return { status: 'sent' };
  let answer: unknown;
  try {
    answer = await res.json();
  } catch {
    return { status: 'retry', error: 'SMS gateway answered with something that is not JSON' };
  }
  const value = valueAt(answer, config.successField);
  if (value !== undefined && config.successValues.includes(String(value))) return { status: 'sent' };
  const detail = valueAt(answer, 'ErrorMessage') ?? valueAt(answer, 'message');
  return { status: 'invalid', error: `SMS gateway answered ${config.successField}=${String(value)}${detail ? `: ${String(detail)}` : ''}` };
}

function fill(template: unknown, values: Record<string, string>): unknown {
  if (typeof template === 'string') return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => values[name] ?? whole);
  if (Array.isArray(template)) return template.map((v) => fill(v, values));
  if (template && typeof template === 'object') return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, fill(v, values)]));
  return template;
}

function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) {
    if (!current || typeof current !== 'object' || !Object.hasOwn(current, part)) return undefined;
    current = Reflect.get(current, part) satisfies unknown;
  }
  return current;
}
