import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/open';
import { apiTokens, citizens } from '../../db/schema';
import { sha256Hex } from '../../lib/crypto';
import { createLogger } from '../../lib/logger';
import { createFakeClock } from '../support/clock';
import { createTestDatabase, testDatabaseKind } from '../support/database';

/**
 * Failed queries are logged without the personal data they carried: drizzle writes every
 * parameter into the error's message and the database quotes offending values, whatever the
 * field is called.
 */
let database: DatabaseHandle;
const clock = createFakeClock();
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.close());

/** What the logger writes for an error thrown by `failing`. */
async function loggedLine(failing: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', write: (line) => lines.push(line) });
  const error = await failing().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  logger.error('unhandled error', { error });
  return lines.join('\n');
}

describe(`database errors in the log (${testDatabaseKind})`, () => {
  it('drop the parameters of a failed query: phone numbers and names', async () => {
    const row = { phone: '+84912345678', fullName: 'Nguyễn Thị Lan', createdAt: clock.now() };
    await database.db.insert(citizens).values(row);
    const line = await loggedLine(() => database.db.insert(citizens).values(row));
    expect(line).not.toContain('912345678');
    expect(line).not.toContain('345 678');
    expect(line).not.toContain('Nguyễn');
    // What an operator needs stays: the statement, the database's reason and its code.
    expect(line).toContain('insert into');
    expect(line).toContain('23505');
  });

  it("drop a token's hash, and values the database quotes in its own message", async () => {
    const tokenHash = sha256Hex('a-secret-token');
    await database.db.insert(apiTokens).values({ name: 'x', role: 'admin', tokenHash, createdAt: clock.now() });
    const duplicate = await loggedLine(() => database.db.insert(apiTokens).values({ name: 'y', role: 'admin', tokenHash, createdAt: clock.now() }));
    expect(duplicate).not.toContain(tokenHash);
    expect(duplicate).not.toContain(tokenHash.slice(0, 16));

    const badCast = await loggedLine(() => database.db.execute(sql`select ${'Trần Văn Bình 0987654321'}::bigint`));
    expect(badCast).not.toContain('Trần');
    expect(badCast).not.toContain('0987654321');
    expect(badCast).toContain('bigint');
  });
});
