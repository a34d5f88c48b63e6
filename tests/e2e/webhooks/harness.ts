/**
 * What the shared webhook security suite needs from a channel. Each channel (Telegram, Zalo, ...)
 * provides one harness over the real app served on 127.0.0.1 and its fake platform API; the suite
 * in ../webhook-security.test.ts runs the same checks against every harness.
 */
export interface WebhookHarness {
  channel: string;
  /** The raw body of a valid event: `text` typed by `user`, with event id `eventId`. */
  textEvent(eventId: number, user: number, text: string): string;
  /** Bodies that are not a valid event of this channel (not JSON, wrong shape); each must get a 400. */
  malformedBodies: string[];
  /** POSTs a raw body to the channel's webhook with a valid, wrong or missing secret/signature. */
  send(body: string, auth: 'valid' | 'wrong' | 'missing'): Promise<Response>;
  /** Plain texts the platform API was asked to deliver to `user`, in order. */
  delivered(user: number): string[];
  /** Every call the platform API received (a rejected request must cause none). */
  platformCalls(): number;
  /** Events of this channel recorded as handled in the database. */
  processedEvents(): Promise<number>;
  /** Makes handling the next event fail inside the adapter (e.g. the platform API errors once). */
  breakNextHandling(): void;
  /** The apology the citizen must receive after a failure, as delivered (plain text). */
  apology: string;
  close(): Promise<void>;
}
