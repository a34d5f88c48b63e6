import { apiTokens } from '../../db/schema';
import type { Database } from '../../db/types';
import { randomToken, sha256Hex } from '../../lib/crypto';
import type { Role } from '../../vocabulary/actors';
import { TEST_START } from './clock';

/**
 * Creates an API token with the given role (and office) and returns the bearer value, so route
 * tests can act as any role without a login.
 *
 * @example
 * const token = await createTestToken(db, 'staff', { officeId: 1 });
 * app.request('/api/v1/...', { headers: { authorization: `Bearer ${token}` } });
 */
export async function createTestToken(db: Database, role: Role, options: { officeId?: number | null; name?: string } = {}): Promise<string> {
  const token = randomToken(24);
  await db
    .insert(apiTokens)
    .values({ name: options.name ?? `test ${role}`, role, officeId: options.officeId ?? null, tokenHash: sha256Hex(token), createdAt: TEST_START });
  return token;
}
