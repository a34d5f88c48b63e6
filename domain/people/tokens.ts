import { desc, eq, sql } from 'drizzle-orm';
import { apiTokens } from '../../db/schema';
import type { Database } from '../../db/types';
import { randomToken, sha256Hex } from '../../lib/crypto';
import { fail, ok, type Result } from '../../lib/result';
import { type Actor, actorRef, type Role } from '../../vocabulary/actors';
import { recordAudit } from './audit';

export interface TokenSummary {
  id: number;
  name: string;
  role: Role;
  officeId: number | null;
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const summary = {
  id: apiTokens.id,
  name: apiTokens.name,
  role: apiTokens.role,
  officeId: apiTokens.officeId,
  createdBy: apiTokens.createdBy,
  createdAt: apiTokens.createdAt,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
};

/**
 * Creates an API token for an integration. The secret is returned once; only its SHA-256 is
 * stored (192 random bits, so a fast hash is enough).
 *
 * @example const { token } = await createToken(db, { name: 'Phần mềm một cửa', role: 'staff', officeId: 1 }, admin, now);
 */
export async function createToken(
  db: Database,
  input: { name: string; role: Role; officeId: number | null },
  actor: Actor,
  now: Date,
): Promise<{ token: string; summary: TokenSummary }> {
  const token = `mct_${randomToken(24)}`;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({ ...input, tokenHash: sha256Hex(token), createdBy: actorRef(actor), createdAt: now })
      .returning(summary);
    if (!row) throw new Error('token insert returned no row');
    await recordAudit(tx, { actor, action: 'token.create', subject: `token:${row.id}`, after: input, at: now });
    return { token, summary: row };
  });
}

/** Every token, newest first, without secrets. */
export async function listTokens(db: Database): Promise<TokenSummary[]> {
  return db.select(summary).from(apiTokens).orderBy(desc(apiTokens.id));
}

/** Revokes a token; it stops working on the next request. Revoking twice keeps the first time. */
export async function revokeToken(db: Database, id: number, actor: Actor, now: Date): Promise<Result<TokenSummary, 'not_found'>> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiTokens)
      .set({ revokedAt: sql`coalesce(${apiTokens.revokedAt}, ${now.toISOString()}::timestamptz)` })
      .where(eq(apiTokens.id, id))
      .returning(summary);
    if (!row) return fail('not_found', `No token with id ${id}.`);
    await recordAudit(tx, { actor, action: 'token.revoke', subject: `token:${id}`, after: { revokedAt: row.revokedAt }, at: now });
    return ok(row);
  });
}
