import { describe, expect, it } from 'vitest';
import { createChatQueue } from '../../domain/messaging/chat-queue';
import { allows, DEFAULT_SETTINGS, NOTICE_KINDS, statusNoticeKind, stoppedBy } from '../../domain/messaging/notification-settings';
import { catchUp, permitEnd, reminderTime } from '../../domain/outreach/reminders';

describe('reminder times (Asia/Ho_Chi_Minh)', () => {
  it('puts a reminder at 08:00 local the given number of days before', () => {
    // Due 27/11 at 00:30 local is still 26/11 in UTC: the local day counts.
    expect(reminderTime(new Date('2026-11-26T17:30:00Z'), 1).toISOString()).toBe('2026-11-26T01:00:00.000Z');
    expect(reminderTime(new Date('2027-01-10T03:00:00Z'), 30).toISOString()).toBe('2026-12-11T01:00:00.000Z');
  });

  it('ends a permit at the end of its expiry day, local time', () => {
    expect(permitEnd('2027-01-10').toISOString()).toBe('2027-01-10T17:00:00.000Z');
  });

  it('sends a missed reminder now while it still matters, and never after', () => {
    const stale = new Date('2026-11-27T03:00:00Z');
    expect(catchUp(new Date('2026-11-26T01:00:00Z'), stale, new Date('2026-11-25T00:00:00Z'))?.toISOString()).toBe('2026-11-26T01:00:00.000Z');
    expect(catchUp(new Date('2026-11-26T01:00:00Z'), stale, new Date('2026-11-26T09:00:00Z'))?.toISOString()).toBe('2026-11-26T09:00:00.000Z');
    expect(catchUp(new Date('2026-11-26T01:00:00Z'), stale, new Date('2026-11-27T03:00:00Z'))).toBeNull();
  });
});

describe('which notices a citizen receives', () => {
  it.each([
    [NOTICE_KINDS.appointment, 'appointment'],
    [statusNoticeKind('ready'), 'result_ready'],
    [statusNoticeKind('needs_supplement'), 'supplement'],
    [NOTICE_KINDS.certificationReady, 'certification'],
    [NOTICE_KINDS.permitExpiry, 'permit_expiry'],
  ])('the %s notice follows the %s switch', (kind, toggle) => {
    expect(allows(DEFAULT_SETTINGS, kind)).toBe(true);
    expect(allows({ ...DEFAULT_SETTINGS, mutedKinds: [toggle] }, kind)).toBe(false);
  });

  it('/stop silences announcements, reminders and status notices, not answers to the citizen’s requests', () => {
    expect(['broadcast', 'reminder_appointment', 'dossier_received', 'dossier_ready'].map(stoppedBy)).toEqual([true, true, true, true]);
    expect(['otp', 'reply', 'broadcast_test', 'certification_status', 'certification_ready'].map(stoppedBy)).toEqual([false, false, false, false, false]);
  });
});

describe('chat queue', () => {
  it('hands out one chat at a time and keeps a chat’s later rows for after the lane is done', () => {
    const queue = createChatQueue<{ chat: string; n: number }>((item) => item.chat);
    queue.add([
      { chat: 'a', n: 1 },
      { chat: 'b', n: 2 },
      { chat: 'a', n: 3 },
    ]);
    const first = queue.take();
    expect(first).toEqual({
      key: 'a',
      items: [
        { chat: 'a', n: 1 },
        { chat: 'a', n: 3 },
      ],
    });
    queue.add([{ chat: 'a', n: 4 }]);
    expect(queue.take()?.key).toBe('b');
    expect(queue.take()).toBeUndefined(); // a is still being sent
    queue.done('a');
    expect(queue.take()).toEqual({ key: 'a', items: [{ chat: 'a', n: 4 }] });
    expect(queue.waiting()).toBe(0);
  });
});
