import type { Database } from '../../db/types';
import type { Actor } from '../../vocabulary/actors';
import { parseRegister, type RegisterError, type RegisterRow } from './csv-register';
import type { DossierService } from './store';

/** What happens to one row of the register: a new dossier, a changed one, or nothing to change. */
export type RegisterOutcome = 'created' | 'updated' | 'unchanged';

export interface RegisterImport {
  rows: (RegisterRow & { outcome: RegisterOutcome })[];
  created: number;
  updated: number;
  unchanged: number;
}

/** Raised inside the import's transaction to undo every row (a dry run, or a row that failed). */
class RollBack extends Error {
  constructor(readonly outcome: { ok: true; value: RegisterImport } | { ok: false; problems: RegisterError[] }) {
    super('register rolled back');
  }
}

/**
 * Imports a day's register (CSV, see csv-register.ts) all or nothing, in one transaction: if any
 * row is wrong (in the file, or not the account's office) nothing is written and every problem
 * is listed. With `dryRun` the whole import runs and is then undone, so a preview tells exactly
 * which rows would be new, changed or unchanged, and writes nothing (no dossier, event or notice).
 */
export async function importRegister(
  deps: { db: Database; dossiers: DossierService },
  text: string,
  actor: Actor,
  now: Date,
  options: { dryRun?: boolean } = {},
): Promise<{ ok: true; value: RegisterImport } | { ok: false; problems: RegisterError[] }> {
  const parsed = parseRegister(text);
  if (!parsed.ok) return { ok: false, problems: parsed.errors };
  try {
    const value = await deps.db.transaction(async (tx) => {
      const tally: RegisterImport = { rows: [], created: 0, updated: 0, unchanged: 0 };
      const problems: RegisterError[] = [];
      for (const row of parsed.rows) {
        const result = await deps.dossiers.upsertIn(tx, row.receiptCode, row.fields, actor, now);
        if (!result.ok) {
          problems.push({ line: row.line, column: 'office_id', message: result.message ?? result.reason });
          continue;
        }
        const outcome: RegisterOutcome = result.value.created ? 'created' : result.value.changed ? 'updated' : 'unchanged';
        tally[outcome]++;
        tally.rows.push({ ...row, outcome });
      }
      if (problems.length) throw new RollBack({ ok: false, problems });
      if (options.dryRun) throw new RollBack({ ok: true, value: tally });
      return tally;
    });
    return { ok: true, value };
  } catch (error) {
    if (error instanceof RollBack) return error.outcome;
    throw error;
  }
}
