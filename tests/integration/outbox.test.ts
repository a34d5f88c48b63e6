import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/open';
import { identities, outbox } from '../../db/schema';
import { createDeliveryLoop } from '../../domain/messaging/delivery-loop';
import { notifyChats } from '../../domain/messaging/notify';
import { claimDue, enqueue, PRIORITY } from '../../domain/messaging/outbox';
import type { ChatSender, OutgoingChatMessage, PhoneSender, SendOutcome } from '../../domain/messaging/senders';
import { linkVerifiedPhone } from '../../domain/people/citizens';
import { silentLogger } from '../../lib/logger';
import type { PhoneMessage } from '../../vocabulary/messages';
import { createFakeClock, createVirtualTimer } from '../support/clock';
import { createTestDatabase } from '../support/database';

let database: DatabaseHandle;
const clock = createFakeClock('2026-11-23T03:00:00Z'); // 10:00 in Vietnam
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.close());
beforeEach(async () => {
  await database.db.delete(outbox);
  await database.db.delete(identities);
});

async function chat(externalId: string, values: Partial<typeof identities.$inferInsert> = {}) {
  const [row] = await database.db
    .insert(identities)
    .values({ channel: 'web', externalId, createdAt: clock.now(), lastSeenAt: clock.now(), ...values })
    .returning();
  if (!row) throw new Error('no identity');
  return row;
}

function recordingSender(outcomes: SendOutcome[] = []): ChatSender & { sent: { to: string; message: OutgoingChatMessage }[] } {
  const sent: { to: string; message: OutgoingChatMessage }[] = [];
  return {
    kind: 'chat',
    channel: 'web',
    ratePerSecond: 1000,
    perChatIntervalMs: 0,
    sent,
    async send(to, message) {
      sent.push({ to, message });
      return outcomes.shift() ?? { status: 'sent' };
    },
  };
}

const worker = (senders: (ChatSender | PhoneSender)[]) =>
  createDeliveryLoop({ db: database.db, clock, timer: createVirtualTimer(), logger: silentLogger, senders, batchSize: 100, leaseSeconds: 60 });

describe('outbox', () => {
  it('queues a dedupe key once, whatever the retries upstream', async () => {
    const { id } = await chat('a');
    const message = { identityId: id, channel: 'web' as const, kind: 'status_change', replies: [{ text: 'Hồ sơ đã sẵn sàng' }], dedupeKey: 'dossier:1:ready' };
    expect(await enqueue(database.db, [message], clock.now())).toBe(1);
    expect(await enqueue(database.db, [message], clock.now())).toBe(0);
    expect(await database.db.select().from(outbox)).toHaveLength(1);
  });

  it('claims higher priority first and never hands a leased row to a second worker', async () => {
    const { id } = await chat('a');
    await enqueue(
      database.db,
      [
        { identityId: id, channel: 'web', kind: 'broadcast', replies: [{ text: 'b' }], priority: PRIORITY.broadcast },
        { identityId: id, channel: 'web', kind: 'otp', replies: [{ text: 'o' }], priority: PRIORITY.otp },
      ],
      clock.now(),
    );
    const options = { now: clock.now(), leaseUntil: new Date(clock.now().getTime() + 60_000), limit: 10, channels: ['web'] };
    const first = await claimDue(database.db, { ...options, owner: 'w1' });
    const second = await claimDue(database.db, { ...options, owner: 'w2' });
    expect(first.map((m) => m.kind)).toEqual(['otp', 'broadcast']);
    expect(second).toEqual([]);
  });

  it('spaces messages to one chat by the channel interval, in order, without holding up other chats', async () => {
    const a = await chat('a');
    const b = await chat('b');
    for (const text of ['1', '2']) await enqueue(database.db, [{ identityId: a.id, channel: 'web', kind: 'k', replies: [{ text }] }], clock.now());
    await enqueue(database.db, [{ identityId: b.id, channel: 'web', kind: 'k', replies: [{ text: 'b' }] }], clock.now());
    const at: Record<string, number> = {};
    const timer = createVirtualTimer();
    const sender = { ...recordingSender(), perChatIntervalMs: 300 };
    const spaced: ChatSender = {
      ...sender,
      send: async (to, message) => {
        at[message.replies[0]?.text ?? ''] = timer.nowMs();
        return sender.send(to, message);
      },
    };
    // Local pacing: the shared timeline steps on the database's real clock, not on this virtual timer.
    await createDeliveryLoop({
      db: database.db,
      clock,
      timer,
      logger: silentLogger,
      senders: [spaced],
      batchSize: 100,
      leaseSeconds: 60,
      pacing: 'local',
    }).runOnce();
    expect(sender.sent.map((s) => s.message.replies[0]?.text)).toEqual(expect.arrayContaining(['1', '2', 'b']));
    // Virtual time: the second message to chat a waited exactly the interval; chat b did not wait for a.
    expect((at['2'] ?? 0) - (at['1'] ?? 0)).toBeGreaterThanOrEqual(300);
    expect(sender.sent.map((s) => s.message.replies[0]?.text).indexOf('b')).toBeLessThan(sender.sent.map((s) => s.message.replies[0]?.text).indexOf('2'));
    expect(at.b).toBeLessThan(300);
  });

  it('does not send before not_before', async () => {
    const { id } = await chat('a');
    await enqueue(
      database.db,
      [{ identityId: id, channel: 'web', kind: 'reminder', replies: [{ text: 'r' }], notBefore: new Date(clock.now().getTime() + 3600_000) }],
      clock.now(),
    );
    const sender = recordingSender();
    expect(await worker([sender]).runOnce()).toBe(0);
    clock.advance(3600_000);
    expect(await worker([sender]).runOnce()).toBe(1);
    expect(sender.sent).toHaveLength(1);
  });

  it('records sent, retries a failure later, and gives up on an invalid message', async () => {
    const a = await chat('a');
    const b = await chat('b');
    const c = await chat('c');
    for (const who of [a, b, c])
      await enqueue(database.db, [{ identityId: who.id, channel: 'web', kind: 'k', replies: [{ text: who.externalId }] }], clock.now());
    const sender = recordingSender([{ status: 'sent' }, { status: 'retry', error: 'ECONNRESET' }, { status: 'invalid', error: 'chat not found' }]);
    await worker([sender]).runOnce();
    const rows = await database.db.select().from(outbox).orderBy(outbox.id);
    expect(rows.map((r) => r.status)).toEqual(['sent', 'pending', 'dead']);
    expect(rows[1]?.lastError).toBe('ECONNRESET');
    expect(rows[1]?.notBefore.getTime()).toBeGreaterThan(clock.now().getTime());
    expect(rows[1]?.leaseOwner).toBeNull();
  });

  it('passes the linked citizen phone and template data to the sender for template fallbacks', async () => {
    const who = await chat('a');
    await linkVerifiedPhone(database.db, who.id, '+84912345678', clock.now());
    await enqueue(
      database.db,
      [{ identityId: who.id, channel: 'web', kind: 'status_change', replies: [{ text: 't' }], template: { kind: 'status_change', params: { code: 'HS1' } } }],
      clock.now(),
    );
    const sender = recordingSender();
    await worker([sender]).runOnce();
    expect(sender.sent[0]?.message).toMatchObject({
      kind: 'status_change',
      phone: '+84912345678',
      template: { kind: 'status_change', params: { code: 'HS1' } },
    });
  });

  it('sends phone messages to the phone sender and scrubs the sealed code once sent', async () => {
    const received: { to: string; message: PhoneMessage }[] = [];
    const sms: PhoneSender = {
      kind: 'phone',
      channel: 'sms',
      ratePerSecond: 100,
      perChatIntervalMs: 0,
      async send(to, message) {
        received.push({ to, message });
        return { status: 'sent' };
      },
    };
    await enqueue(
      database.db,
      [{ phone: '+84912345678', channel: 'sms', kind: 'otp', message: { purpose: 'otp', sealedCode: 'sealed!', ttlMinutes: 5 }, priority: PRIORITY.otp }],
      clock.now(),
    );
    await worker([sms]).runOnce();
    expect(received).toEqual([{ to: '+84912345678', message: { purpose: 'otp', sealedCode: 'sealed!', ttlMinutes: 5 } }]);
    const [row] = await database.db.select().from(outbox);
    expect(row?.status).toBe('sent');
    expect(JSON.stringify(row?.payload)).not.toContain('sealed!');
  });

  it('marks a chat blocked on a blocked answer and sends it nothing more', async () => {
    const who = await chat('a');
    await enqueue(
      database.db,
      [
        { identityId: who.id, channel: 'web', kind: 'k', replies: [{ text: '1' }] },
        { identityId: who.id, channel: 'web', kind: 'k', replies: [{ text: '2' }] },
      ],
      clock.now(),
    );
    const sender = recordingSender([{ status: 'blocked', error: 'bot was blocked by the user' }]);
    await worker([sender]).runOnce();
    await worker([sender]).runOnce();
    const [identity] = await database.db.select().from(identities).where(eq(identities.id, who.id));
    expect(identity?.blockedAt).not.toBeNull();
    expect(sender.sent).toHaveLength(1);
    expect((await database.db.select().from(outbox)).map((r) => r.status)).toEqual(['dead', 'dead']);
  });
});

describe('notifyChats', () => {
  it('renders each chat in its own language, skips blocked chats and keys rows per chat', async () => {
    const vi = await chat('vi');
    const en = await chat('en', { locale: 'en' });
    const blocked = await chat('blocked', { blockedAt: clock.now() });
    const notice = { kind: 'status_change', dedupeKey: 'dossier:7:ready', render: (locale: string) => [{ text: locale === 'en' ? 'Ready' : 'Đã có kết quả' }] };
    expect(await notifyChats(database.db, [vi.id, en.id, blocked.id], notice, { now: clock.now() })).toBe(2);
    expect(await notifyChats(database.db, [vi.id, en.id], notice, { now: clock.now() })).toBe(0);
    const rows = await database.db.select().from(outbox).orderBy(outbox.identityId);
    expect(rows.map((r) => [r.dedupeKey, r.payload])).toEqual([
      [`dossier:7:ready:${vi.id}`, { replies: [{ text: 'Đã có kết quả' }] }],
      [`dossier:7:ready:${en.id}`, { replies: [{ text: 'Ready' }] }],
    ]);
  });

  it('holds a notice made during quiet hours until 07:00, but not an urgent answer', async () => {
    const who = await chat('a');
    const night = new Date('2026-11-23T15:30:00Z'); // 22:30 local
    await notifyChats(database.db, [who.id], { kind: 'reminder', dedupeKey: 'n1', render: () => [{ text: 'x' }] }, { now: night });
    await notifyChats(database.db, [who.id], { kind: 'certification', dedupeKey: 'n2', urgent: true, render: () => [{ text: 'y' }] }, { now: night });
    const rows = await database.db.select().from(outbox).orderBy(outbox.id);
    expect(rows.map((r) => r.notBefore.toISOString())).toEqual(['2026-11-24T00:00:00.000Z', '2026-11-23T15:30:00.000Z']);
  });

  it('applies the recipient filter (opt-outs)', async () => {
    const a = await chat('a');
    const b = await chat('b');
    const queued = await notifyChats(
      database.db,
      [a.id, b.id],
      { kind: 'reminder', dedupeKey: 'f', render: () => [{ text: 'x' }] },
      { now: clock.now(), filter: async (_e, ids) => ids.filter((id) => id === b.id) },
    );
    expect(queued).toBe(1);
    expect((await database.db.select().from(outbox))[0]?.identityId).toBe(b.id);
  });
});
