import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/open';
import { bigintArrayParam, textArrayParam } from '../../db/sql';
import { rowsOf } from '../../db/types';
import { createTestDatabase, testDatabaseKind } from '../support/database';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.close());

describe(`array parameters (${testDatabaseKind})`, () => {
  it('keeps every string whole, whatever characters it holds', async () => {
    const values = ['plain', 'a,b', 'say "hi"', 'back\\slash', '{braces}', 'NULL', '', 'Hồ sơ: 000.00.24.H29-241122-0001', 'tail\\'];
    const result = await database.db.execute(sql`select unnest(${textArrayParam(values)}) as v`);
    expect(rowsOf<{ v: string }>(result).map((r) => r.v)).toEqual(values);
  });

  it('matches a dedupe key with a comma as one key, not two', async () => {
    const result = await database.db.execute(
      sql`select 'reminder:a,b' = any(${textArrayParam(['reminder:a,b'])}) as hit, 'reminder:a' = any(${textArrayParam(['reminder:a,b'])}) as split`,
    );
    expect(rowsOf<{ hit: boolean; split: boolean }>(result)[0]).toEqual({ hit: true, split: false });
  });

  it('passes ids as bigints and refuses anything but whole numbers', async () => {
    const result = await database.db.execute(sql`select unnest(${bigintArrayParam([1, 9_007_199_254_740_991])})::text as v`);
    expect(rowsOf<{ v: string }>(result).map((r) => r.v)).toEqual(['1', '9007199254740991']);
    expect(() => bigintArrayParam([1.5])).toThrow(TypeError);
    expect(() => bigintArrayParam([Number.NaN])).toThrow(TypeError);
  });
});
