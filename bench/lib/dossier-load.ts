import type { Database } from '../../db/types';

/** The bulk statements below take minutes at a million rows: open the database with these timeouts. */
export const BULK_LOAD_TIMEOUTS = { statementMs: 30 * 60_000, silenceMs: 31 * 60_000 };

/**
 * Loads `count` dossiers over two years (to 2026-11-22) spread over `offices` offices, with their
 * timeline events, set-based with generate_series, then vacuums and checkpoints so the
 * measurements that follow read index-only and share the disk with nothing. Shared by
 * bench:dossiers and bench:dashboard, so both measure the same data.
 */
export async function loadDossiers(db: Database, count: number, offices: number): Promise<void> {
  // Deterministic pseudo-random spreads (multiplicative hashing of g), so every run loads the same data.
  await db.execute(`
    insert into dossiers (receipt_code, procedure_code, field, office_id, applicant_name, applicant_phone, channel,
                          received_at, due_at, status, resolved_at, created_at, updated_at)
    select 'BENCH-' || lpad(g::text, 7, '0'),
      (array['1.001193','1.000894','1.000656','2.000635','1.004222','1.001612','1.000105','2.000908'])[1 + g % 8],
      (array['Hộ tịch','Hộ tịch','Hộ tịch','Hộ tịch','Chứng thực','Đất đai','Cư trú','Xây dựng'])[1 + g % 8],
      1 + (g * 7) % ${offices},
      'Công dân ' || g,
      '+849' || lpad((g % 100000000)::text, 8, '0'),
      case when g % 3 = 0 then 'online' else 'counter' end,
      r.received, r.received + (1 + g % 10) * interval '1 day' + interval '8 hours',
      s.status,
      case when s.status in ('ready', 'returned') then r.received + ((g * 7919) % 13) * interval '1 day' + interval '3 hours' end,
      r.received, r.received
    from generate_series(1::bigint, ${count}) g
    cross join lateral (select timestamptz '2024-11-22 01:00:00+00' + ((g * 104729) % (730 * 24 * 60)) * interval '1 minute' as received) r
    cross join lateral (select case
      when (g * 31) % 100 < 78 then 'returned' when (g * 31) % 100 < 83 then 'ready'
      when (g * 31) % 100 < 86 then 'rejected' when (g * 31) % 100 < 88 then 'withdrawn'
      when (g * 31) % 100 < 93 then 'processing' when (g * 31) % 100 < 96 then 'needs_supplement'
      else 'received' end as status) s`);
  await db.execute(`
    insert into dossier_events (dossier_id, status, details, actor, at)
    select id, status, '{}'::jsonb, 'token:1', coalesce(resolved_at, received_at) from dossiers`);
  // Production tables get this from autovacuum (insert-triggered since PostgreSQL 13); the
  // visibility map it sets is what lets the statistics scan indexes only.
  await db.execute('vacuum analyze dossiers');
  await db.execute('vacuum analyze dossier_events');
  // Write the 680 MB just loaded to disk now, so the measurements below do not share the disk
  // with the checkpoint that a fresh bulk load otherwise triggers in the middle of them.
  await db.execute('checkpoint');
}
