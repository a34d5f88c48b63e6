/**
 * The certification port (repeat certified copies, "Chứng thực 4.0"): what the certify flow may
 * ask of the domain. Implemented in domain/certify-service.ts over the database.
 */

export type CertificationStatus = 'submitted' | 'confirmed' | 'rejected' | 'ready' | 'delivered' | 'cancelled';

/** A phone proved in this chat, kept in the flow's state until the request is sent. */
export interface VerifiedPhone {
  citizenId: number;
  phone: string;
  method: 'chat_otp' | 'channel_contact';
  /** ISO time of the proof; a proof older than the session window must be renewed. */
  at: string;
  challengeId?: string;
}

export interface DocumentChoice {
  id: number;
  title: string;
  pages: number;
  officeId: number;
  /** The office that keeps it and certifies copies: "name, address" (null if unknown). */
  office: string | null;
  /** VND for one copy, from the configured fee table. */
  copyFee: number;
}

export type DeliveryChoice = { method: 'pickup' } | { method: 'post'; address: string };

export interface RequestSummary {
  id: number;
  /** What the citizen and staff call it: `CT-000042`. */
  ref: string;
  status: CertificationStatus;
  createdAt: string;
  items: { title: string; copies: number; pages: number }[];
  delivery: DeliveryChoice;
  /** The confirmed fee, or the quote while unconfirmed (VND). */
  fee: number;
  pickupPlace: string | null;
  trackingNumber: string | null;
  rejectReason: string | null;
  deliveredVia: 'counter' | 'post' | null;
}

export type CodeRequest =
  | { ok: true; value: { challengeId: string; ttlMinutes: number } }
  | { ok: false; reason: 'rate_limited'; retryAfterMinutes: number }
  /** No sender is configured for codes (production without a gateway). */
  | { ok: false; reason: 'unavailable' };

export type CodeCheck =
  | { ok: true; value: VerifiedPhone }
  | { ok: false; reason: 'wrong_code'; triesLeft: number }
  | { ok: false; reason: 'expired' | 'too_many_tries' };

export interface CertifyPort {
  /**
   * Sends a code to `phone` for this chat when the phone has documents on file; answers the same
   * either way (no enumeration). Limits apply per phone, per chat and, with `origin` (the
   * sender's network address, where the channel sees one), per address.
   */
  requestCode(identityId: number, phone: string, origin?: string): Promise<CodeRequest>;
  /** `failed` once the code could not be delivered; `ok` while on its way or sent. */
  codeDelivery(challengeId: string): Promise<'ok' | 'failed'>;
  /** Checks a typed code; on success the chat is linked to the citizen in the same transaction. */
  verifyCode(identityId: number, challengeId: string, code: string): Promise<CodeCheck>;
  /** A phone the channel proved (Telegram contact of the sender): links the chat, no code needed. */
  verifyContact(identityId: number, phone: string): Promise<VerifiedPhone>;
  documents(citizenId: number): Promise<DocumentChoice[]>;
  /** Saves the request as OTP-verified; `not_verified` when the proof is missing or too old. */
  submit(
    identityId: number,
    verified: VerifiedPhone,
    items: { documentId: number; copies: number }[],
    delivery: DeliveryChoice,
  ): Promise<{ ok: true; value: RequestSummary } | { ok: false; reason: 'not_verified' | 'documents_changed' | 'mixed_offices' }>;
  /** The citizen's requests, newest first (at most 10). */
  requests(citizenId: number): Promise<RequestSummary[]>;
  /** Cancels a request that staff have not confirmed yet. */
  cancel(citizenId: number, requestId: number): Promise<{ ok: true; value: RequestSummary } | { ok: false; reason: 'not_found' | 'not_cancellable' }>;
}
