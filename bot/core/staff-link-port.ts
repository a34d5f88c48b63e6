import type { Result } from '../../lib/result';

/** Staff link their own chat to their console account, for test sends of announcements (domain/people/staff-chats.ts). */
export interface StaffLinkPort {
  claim(identityId: number, code: string): Promise<Result<{ staffName: string }, 'invalid_code' | 'rate_limited'>>;
}
