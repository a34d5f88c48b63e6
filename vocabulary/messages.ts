/**
 * The structured form of a notification, for channels that can only send pre-approved
 * templates (Zalo ZNS). `kind` names the template in configuration; `params` fill it.
 */
export interface TemplateData {
  kind: string;
  params: Record<string, string>;
}

/** What a phone-addressed outbox row carries. */
export type PhoneMessage =
  /** A one-time code, sealed (encrypted) so the outbox never holds it in clear text. */
  | { purpose: 'otp'; sealedCode: string; ttlMinutes: number }
  | { purpose: 'notification'; text: string; template?: TemplateData }
  /** What a sent or dead OTP row keeps: nothing. */
  | { purpose: 'scrubbed' };
