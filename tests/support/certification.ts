import { and, desc, eq, like } from 'drizzle-orm';
import { citizens, offices, outbox, storedDocuments } from '../../db/schema';
import type { Database } from '../../db/types';
import { otpSealer } from '../../domain/certification/otp';
import type { ChannelSender, PhoneSender } from '../../domain/messaging/senders';
import { officeCodeFrom } from '../../vocabulary/procedure';
import { TEST_START } from './clock';

let seq = 0;

/** A phone number no other test uses (E.164 and the way a citizen types it). */
export function uniquePhone(): { e164: string; typed: string } {
  const digits = String(1_000_000 + ((process.pid * 7919 + ++seq * 104_729) % 9_000_000)).slice(-7);
  return { e164: `+8491${digits}`, typed: `091 ${digits.slice(0, 3)} ${digits.slice(3)}` };
}

/** An office row (certification requests belong to the office that keeps the papers); its code is unique even when the name is not. */
export async function seedOffice(db: Database, name = 'UBND phường Bến Nghé'): Promise<number> {
  const [row] = await db
    .insert(offices)
    .values({
      code: `${officeCodeFrom(name)}-${++seq}`,
      name,
      address: '1 Lê Lợi',
      phone: '028 3822 0000',
      openingHours: '7:30-17:00',
      createdAt: TEST_START,
      updatedAt: TEST_START,
    })
    .returning({ id: offices.id });
  if (!row) throw new Error('no office');
  return row.id;
}

/** A citizen registered at the counter with scanned papers (the blob keys point nowhere). */
export async function seedCitizen(
  db: Database,
  options: { phone: string; officeId: number; documents: { title: string; pages: number; officeId?: number }[] },
) {
  const [citizen] = await db.insert(citizens).values({ phone: options.phone, fullName: 'Nguyễn Thị Lan', createdAt: TEST_START }).returning();
  if (!citizen) throw new Error('no citizen');
  const documents = [];
  for (const doc of options.documents) {
    const [row] = await db
      .insert(storedDocuments)
      .values({
        citizenId: citizen.id,
        officeId: doc.officeId ?? options.officeId,
        title: doc.title,
        kind: 'other',
        pages: doc.pages,
        blobKey: `documents/${citizen.id}/seed-${++seq}.pdf`,
        contentType: 'application/pdf',
        sizeBytes: 1000,
        sha256: '0'.repeat(64),
        createdBy: 'test',
        createdAt: TEST_START,
      })
      .returning();
    if (row) documents.push(row);
  }
  return { citizen, documents };
}

const delivered = new WeakMap<object, Map<string, string>>();

/**
 * Records the codes the assistant's phone sender sends (wrapping its send), for tests where the
 * delivery loop runs and scrubs the outbox row before the test can read it.
 */
export function recordSentCodes(senders: ChannelSender[], secret: string): Map<string, string> {
  const phone = senders.find((s): s is PhoneSender => s.kind === 'phone' && s.channel === 'sms');
  if (!phone) throw new Error('no sms sender');
  const known = delivered.get(phone);
  if (known) return known;
  const codes = new Map<string, string>();
  delivered.set(phone, codes);
  const send = phone.send.bind(phone);
  phone.send = async (to, message) => {
    if (message.purpose === 'otp') {
      const code = otpSealer(secret).unseal(message.sealedCode);
      if (code.ok) codes.set(to, code.value);
    }
    return send(to, message);
  };
  return codes;
}

/** The newest code for `phone`: from the outbox while queued, else as recorded by recordSentCodes. */
export async function latestCode(db: Database, secret: string, phone: string, sent?: Map<string, string>): Promise<string | null> {
  const queued = await queuedCode(db, secret, phone);
  return queued ?? sent?.get(phone) ?? null;
}

async function queuedCode(db: Database, secret: string, phone: string): Promise<string | null> {
  const [row] = await db
    .select({ payload: outbox.payload })
    .from(outbox)
    .where(and(eq(outbox.phone, phone), eq(outbox.kind, 'otp'), like(outbox.dedupeKey, 'otp:%')))
    .orderBy(desc(outbox.id))
    .limit(1);
  const payload = row?.payload;
  if (!payload || !('phone' in payload) || payload.phone.purpose !== 'otp') return null;
  const code = otpSealer(secret).unseal(payload.phone.sealedCode);
  return code.ok ? code.value : null;
}

/** The test configuration's APP_SECRET (tests/support/assistant.ts). */
export const TEST_SECRET = 'test-secret-test-secret-test-secret-1234';
