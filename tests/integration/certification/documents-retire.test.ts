import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../../db/open';
import { apiTokens, storedDocuments } from '../../../db/schema';
import { recentCitizens } from '../../../domain/certification/recent-citizens';
import { retireDocument } from '../../../domain/certification/retire-document';
import { actorNames } from '../../../domain/people/actor-names';
import type { BlobStore } from '../../../lib/blob-store';
import type { Actor } from '../../../vocabulary/actors';
import { seedCitizen, seedOffice, uniquePhone } from '../../support/certification';
import { TEST_START } from '../../support/clock';
import { createTestDatabase } from '../../support/database';
import { createTestToken } from '../../support/tokens';

let database: DatabaseHandle;
let officeA: number;
let officeB: number;
const clerk = (officeId: number | null): Actor => ({ kind: 'staff', id: 1, name: 'Cán bộ', role: 'staff', officeId });

/** A blob store that remembers what was deleted, or refuses to delete. */
function blobs(failing = false): BlobStore & { deleted: string[] } {
  const deleted: string[] = [];
  return {
    deleted,
    put: async () => {},
    get: async () => null,
    delete: async (key) => {
      if (failing) throw new Error('store unreachable');
      deleted.push(key);
    },
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  officeA = await seedOffice(database.db, 'A');
  officeB = await seedOffice(database.db, 'B');
});
afterAll(() => database.close());

describe('retireDocument', () => {
  it('removes the row and its file, and answers another office as if it did not exist', async () => {
    const { citizen, documents } = await seedCitizen(database.db, { phone: uniquePhone().e164, officeId: officeA, documents: [{ title: 'CCCD', pages: 1 }] });
    const doc = documents[0];
    if (!doc) throw new Error('seed');
    const store = blobs();
    const ref = { citizenId: citizen.id, documentId: doc.id };
    expect(await retireDocument(database.db, store, clerk(officeB), ref, TEST_START)).toMatchObject({ ok: false, reason: 'not_found' });
    expect(store.deleted).toEqual([]);
    expect(await retireDocument(database.db, store, clerk(officeA), ref, TEST_START)).toMatchObject({ ok: true });
    expect(store.deleted).toEqual([doc.blobKey]);
    expect(await database.db.select().from(storedDocuments).where(eq(storedDocuments.id, doc.id))).toEqual([]);
  });

  it('keeps the paper when its file cannot be removed', async () => {
    const { citizen, documents } = await seedCitizen(database.db, { phone: uniquePhone().e164, officeId: officeA, documents: [{ title: 'Học bạ', pages: 4 }] });
    const doc = documents[0];
    if (!doc) throw new Error('seed');
    await expect(retireDocument(database.db, blobs(true), clerk(null), { citizenId: citizen.id, documentId: doc.id }, TEST_START)).rejects.toThrow();
    expect(await database.db.select().from(storedDocuments).where(eq(storedDocuments.id, doc.id))).toHaveLength(1);
  });
});

describe('recentCitizens and actorNames', () => {
  it('lists citizens by their office’s latest scan, newest first', async () => {
    const older = await seedCitizen(database.db, { phone: uniquePhone().e164, officeId: officeB, documents: [{ title: 'Sổ đỏ', pages: 2 }] });
    const newer = await seedCitizen(database.db, { phone: uniquePhone().e164, officeId: officeB, documents: [{ title: 'Hộ chiếu', pages: 1 }] });
    await database.db
      .update(storedDocuments)
      .set({ createdAt: new Date(TEST_START.getTime() + 60_000) })
      .where(eq(storedDocuments.citizenId, newer.citizen.id));
    const ids = (await recentCitizens(database.db, clerk(officeB))).map((c) => c.id);
    expect(ids).toEqual([newer.citizen.id, older.citizen.id]);
    expect((await recentCitizens(database.db, clerk(officeA))).map((c) => c.id)).not.toContain(newer.citizen.id);
  });

  it('names staff and tokens behind actor references, and skips the unknown', async () => {
    await createTestToken(database.db, 'staff', { name: 'Phần mềm một cửa' });
    const [token] = await database.db.select().from(apiTokens).where(eq(apiTokens.name, 'Phần mềm một cửa'));
    const names = await actorNames(database.db, [`token:${token?.id}`, 'staff:999999', 'test', 'staff:x']);
    expect([...names]).toEqual([[`token:${token?.id}`, { kind: 'token', name: 'Phần mềm một cửa' }]]);
  });
});
