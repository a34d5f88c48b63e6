import type { CodeCheck, CodeRequest, DeliveryChoice, DocumentChoice, RequestSummary, VerifiedPhone } from '../../domain/certification/chat-service';
/**
 * The certification port (repeat certified copies, "Chứng thực 4.0"): what the certify flow may
 * ask of the domain. Implemented in domain/certification/chat-service.ts over the database.
 */

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
