import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import { createTranslator } from '../bot/locales';
import { openDatabase } from '../db/open';
import { chatActivity, feedback, identities, offices } from '../db/schema';
import type { Database } from '../db/types';
import { createDossierService } from '../domain/dossiers/store';
import { dossierDueDateHook, dossierReminderHook } from '../domain/outreach/dossier-reminders';
import { commandLineActor } from '../domain/people/staff';
import { systemClock } from '../lib/clock';
import { addLocalDays, localIsoDate, localParts, localTime } from '../lib/vn-time';
import { installTemplateFolder } from '../runtime/install-template';
import { loadConfigOrExit } from '../runtime/load-config';
import type { DossierStatus } from '../vocabulary/dossiers';

/** Procedures a commune office sees most, with their field and usual working days. */
const PROCEDURES = [
  { code: '1.001193', name: 'Thủ tục đăng ký khai sinh', field: 'Hộ tịch', days: 1, weight: 14 },
  { code: '1.000894', name: 'Thủ tục đăng ký kết hôn', field: 'Hộ tịch', days: 3, weight: 5 },
  { code: '1.000656', name: 'Thủ tục đăng ký khai tử', field: 'Hộ tịch', days: 1, weight: 3 },
  { code: '2.000635', name: 'Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh', field: 'Hộ tịch', days: 1, weight: 8 },
  { code: '2.000908', name: 'Chứng thực bản sao từ bản chính', field: 'Chứng thực', days: 1, weight: 20 },
  { code: '2.001035', name: 'Chứng thực chữ ký trong các giấy tờ, văn bản', field: 'Chứng thực', days: 1, weight: 8 },
  { code: '1.010730', name: 'Đăng ký thường trú', field: 'Đăng ký, quản lý cư trú', days: 7, weight: 6 },
  { code: '1.004227', name: 'Đăng ký biến động đất đai', field: 'Đất đai', days: 10, weight: 4 },
  { code: '1.001612', name: 'Đăng ký thành lập hộ kinh doanh', field: 'Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)', days: 3, weight: 3 },
] as const;

const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ'];
const GIVEN = ['Văn An', 'Thị Bình', 'Minh Châu', 'Quốc Dũng', 'Thị Hoa', 'Gia Huy', 'Thu Hà', 'Đức Long', 'Thị Mai', 'Hữu Nghĩa', 'Ngọc Lan', 'Thanh Tùng'];

/** A small deterministic generator, so the demo gives the same figures on every machine. */
function random(seed: number) {
  // Neighbouring seeds (day after day) are scrambled first, or their draws would move in step.
  let state = seed ^ 0x9e3779b9;
  state = Math.imul(state ^ (state >>> 16), 0x85ebca6b);
  state = Math.imul(state ^ (state >>> 13), 0xc2b2ae35);
  state = (state ^ (state >>> 16)) >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return {
    next,
    int: (below: number) => Math.floor(next() * below),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}

/** The working day `days` after `at` (Saturday and Sunday skipped), at 16:30 local. */
function dueAfter(at: Date, days: number): Date {
  let day = at;
  for (let left = days; left > 0; ) {
    day = addLocalDays(day, 1);
    const weekday = localParts(day).weekday;
    if (weekday !== 0 && weekday !== 6) left--;
  }
  const p = localParts(day);
  return localTime(p.year, p.month, p.day, 16, 30);
}

/**
 * Fills the database with `days` (90) days of plausible one-stop work for every office: about 30
 * dossiers a working day, mostly resolved on time, some early, a few late or waiting for papers;
 * ratings for most returned dossiers; daily chat activity. Safe to run twice (existing receipt
 * codes are left alone).
 */
export async function seedDemo(db: Database, now: Date, options: { days?: number } = {}): Promise<{ dossiers: number; ratings: number }> {
  const days = options.days ?? 90;
  const translator = createTranslator();
  const service = createDossierService({ db, translator, onStatusChange: [dossierReminderHook], onDueDateChange: [dossierDueDateHook] });
  const actor = commandLineActor('seed-demo');
  const officeIds = (await db.select({ id: offices.id }).from(offices)).map((o) => o.id);
  const weighted = PROCEDURES.flatMap((p) => Array.from({ length: p.weight }, () => p));
  let created = 0;
  let ratings = 0;
  for (const officeId of officeIds.length ? officeIds : [1]) {
    for (let back = days; back >= 0; back--) {
      const day = localParts(addLocalDays(now, -back));
      if (day.weekday === 0) continue;
      // Draws seeded per day and per dossier: a second run takes the same paths and finds every code.
      const dayNumber = day.year * 10_000 + day.month * 100 + day.day;
      const perDay = day.weekday === 6 ? 8 : 22 + random(dayNumber * 31 + officeId).int(16);
      for (let n = 1; n <= perDay; n++) {
        const rng = random((dayNumber * 1000 + n) * 31 + officeId);
        const procedure = rng.pick(weighted);
        const receivedAt = localTime(day.year, day.month, day.day, 7 + rng.int(10), rng.int(60));
        if (receivedAt > now) continue;
        const dueAt = dueAfter(receivedAt, procedure.days);
        const code = `DEMO${officeId}-${localIsoDate(receivedAt).replaceAll('-', '').slice(2)}-${String(n).padStart(3, '0')}`;
        const upserted = await service.upsert(
          code,
          {
            procedureCode: procedure.code,
            procedureName: procedure.name,
            field: procedure.field,
            officeId,
            applicantName: `${rng.pick(SURNAMES)} ${rng.pick(GIVEN)}`,
            applicantPhone: `+8490${String(1_000_000 + rng.int(8_999_999))}`,
            channel: rng.next() < 0.35 ? 'online' : 'counter',
            receivedAt,
            dueAt,
          },
          actor,
          receivedAt,
        );
        if (!upserted.ok || !upserted.value.created) continue;
        created++;
        // How it went: mostly on the due day or earlier, some late, some still waiting.
        const roll = rng.next();
        const planned =
          roll < 0.3
            ? addLocalDays(dueAt, -1 - rng.int(Math.max(1, procedure.days)))
            : roll < 0.85
              ? new Date(dueAt.getTime() - 3_600_000)
              : addLocalDays(dueAt, 1 + rng.int(3));
        // Nothing is resolved sooner than three hours after it was received.
        const resolvedAt = new Date(Math.max(planned.getTime(), receivedAt.getTime() + 3 * 3_600_000));
        const steps: { status: DossierStatus; at: Date; details?: Record<string, unknown> }[] = [];
        if (rng.next() < 0.08)
          steps.push({
            status: 'needs_supplement',
            at: new Date(receivedAt.getTime() + 3_600_000),
            details: { missing: ['Bản sao CCCD của người đi đăng ký'] },
          });
        steps.push({ status: 'processing', at: new Date(receivedAt.getTime() + 2 * 3_600_000) });
        if (rng.next() < 0.03) steps.push({ status: 'rejected', at: resolvedAt, details: { reason: 'Hồ sơ không thuộc thẩm quyền giải quyết của cấp xã' } });
        else {
          steps.push({ status: 'ready', at: resolvedAt, details: { collectAt: 'Bộ phận một cửa, quầy trả kết quả' } });
          steps.push({ status: 'returned', at: new Date(resolvedAt.getTime() + rng.int(48) * 3_600_000) });
        }
        let returned = false;
        for (const step of steps) {
          if (step.at > now || step.at < receivedAt) break;
          const moved = await service.addEvent(code, { status: step.status, details: step.details ?? {}, at: step.at }, actor, step.at);
          if (!moved.ok) break;
          returned = step.status === 'returned';
          if (returned && rng.next() < 0.6) {
            const rating = rng.next() < 0.7 ? 5 : rng.next() < 0.7 ? 4 : 1 + rng.int(3);
            await db
              .insert(feedback)
              .values({ dossierId: moved.value.dossier.id, officeId, field: procedure.field, rating, createdAt: new Date(step.at.getTime() + 600_000) })
              .onConflictDoNothing();
            ratings++;
          }
        }
      }
    }
  }
  // Chat activity: a few hundred chats, busier on working days.
  const chats = await db
    .insert(identities)
    .values(Array.from({ length: 300 }, (_, i) => ({ channel: i % 3 === 0 ? 'telegram' : 'web', externalId: `demo-${i}`, createdAt: now, lastSeenAt: now })))
    .onConflictDoNothing()
    .returning({ id: identities.id });
  const rng = random(20261122);
  for (let back = days; back >= 0; back--) {
    const at = addLocalDays(now, -back);
    const busy = localParts(at).weekday === 0 ? 10 : 40;
    const rows = chats.filter(() => rng.next() < busy / 300).map((c) => ({ day: localIsoDate(at), identityId: c.id, messages: 2 + rng.int(9) }));
    if (rows.length) await db.insert(chatActivity).values(rows).onConflictDoNothing();
  }
  await db.execute(sql`analyze dossiers`);
  return { dossiers: created, ratings };
}

async function main() {
  const config = loadConfigOrExit();
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, template: installTemplateFolder, maxConnections: 2 });
  try {
    const started = performance.now();
    const { dossiers, ratings } = await seedDemo(database.db, systemClock.now());
    process.stdout.write(
      `Demo data: ${dossiers} dossiers with their timelines, ${ratings} ratings, 90 days of chat activity (${Math.round((performance.now() - started) / 1000)} s).\n`,
    );
  } finally {
    await database.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
