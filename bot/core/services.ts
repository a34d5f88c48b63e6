import type { ProcedureCatalog } from './catalog-port';
import type { CertifyPort } from './certify';
import type { DossierPort, FeedbackPort } from './dossier-ports';
import type { NotificationSettingsPort } from './notifications-port';
import type { OfficePort } from './office-port';
import type { StaffLinkPort } from './staff-link-port';

/**
 * The domain ports flows may call. Each capability adds its port here as a field; the
 * composition root (runtime/assemble.ts) provides the implementations, and tests provide real
 * ones over a test database or small fakes. Ports return Result values for expected failures.
 */
export interface Services {
  /** Procedure questions: search, cards, share links (domain/catalog/store.ts). */
  procedures: ProcedureCatalog;
  /** The chat's office: which one answers name, and setting it (domain/catalog/chat-office.ts). */
  offices: OfficePort;
  /** Reminder switches, area and topics, /stop (domain/messaging/notification-settings.ts). */
  notifications: NotificationSettingsPort;
  /** Dossier look-up by receipt code + phone digits, view, follow (domain/dossiers/lookup.ts). */
  dossiers: DossierPort;
  /** Satisfaction ratings after a dossier is returned (domain/dossiers/feedback.ts). */
  feedback: FeedbackPort;
  /** Repeat certified copies: phone proof (OTP or verified contact), papers, requests (domain/certification/chat-service.ts). */
  certify: CertifyPort;
  /** A staff member links this chat to their console account with a code from the console. */
  staffLinks: StaffLinkPort;
}
