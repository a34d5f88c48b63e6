import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTranslator } from '../../bot/locales';
import { foldedText } from '../../db/folded-text';
import { dossiers } from '../../db/schema';
import { rowsOf } from '../../db/types';
import { createDossierService, type DossierService } from '../../domain/dossiers/store';
import { actorNames } from '../../domain/people/actor-names';
import { foldVietnamese } from '../../knowledge/normalize';
import type { Actor } from '../../vocabulary/actors';
import { TEST_START } from '../support/clock';
import { createStaffAccount } from '../support/console';
import { createTestDatabase } from '../support/database';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let service: DossierService;
const now = TEST_START;
const office1: Actor = { kind: 'staff', id: 1, name: 'Quầy 1', role: 'staff', officeId: 1 };
const admin: Actor = { kind: 'staff', id: 2, name: 'Quản trị', role: 'admin', officeId: null };

beforeAll(async () => {
  database = await createTestDatabase();
  service = createDossierService({ db: database.db, translator: createTranslator() });
  const at = (hours: number) => new Date(now.getTime() + hours * 3_600_000);
  const names: [string, string, number][] = [
    ['N-0001', 'Nguyễn Thị Lan', 1],
    ['N-0002', 'NGUYỄN VĂN LÂM', 1],
    ['N-0003', 'Trần Lan Anh', 1],
    ['N-0004', 'Đặng Đức Hưng', 1],
    // Decomposed (NFD) text, as some exports write it.
    ['N-0005', 'Phạm Thu Hà'.normalize('NFD'), 1],
    ['N-0006', 'Nguyễn Thị Lan', 2],
  ];
  await database.db.insert(dossiers).values(
    names.map(([receiptCode, applicantName, officeId], i) => ({
      receiptCode,
      applicantName,
      officeId,
      procedureCode: '1.001193',
      applicantPhone: '+84912345678',
      channel: 'counter' as const,
      receivedAt: at(-10 + i),
      dueAt: at(24),
      status: 'received' as const,
      createdAt: now,
      updatedAt: now,
    })),
  );
});
afterAll(async () => database?.close());

const codesFor = async (name: string, actor = office1) => (await service.search({ name, page: 1, pageSize: 20 }, actor)).items.map((d) => d.receiptCode).sort();

describe('search by applicant name', () => {
  it('folds every Vietnamese letter in SQL exactly as the chat folds it in TypeScript', async () => {
    const letters = 'aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ';
    const all = `${letters}${letters.toUpperCase()}`;
    const [row] = rowsOf<{ folded: string }>(await database.db.execute(sql`select ${foldedText(sql`${all}`)} as folded`));
    expect(row?.folded).toBe(foldVietnamese(all));
    const [nfd] = rowsOf<{ folded: string }>(await database.db.execute(sql`select ${foldedText(sql`${all.normalize('NFD')}`)} as folded`));
    expect(nfd?.folded).toBe(foldVietnamese(all));
  });

  it.each([
    ['a whole word without accents', 'lan', ['N-0001', 'N-0003']],
    ['the same word with accents and capitals', 'LÂN', ['N-0001', 'N-0003']],
    ['the beginning of a word', 'ngu', ['N-0001', 'N-0002']],
    ['several words in any order', 'lan nguyen', ['N-0001']],
    ['đ typed as d', 'dang duc', ['N-0004']],
    ['a name stored decomposed', 'ha', ['N-0005']],
    ['a word no one has', 'hoa', []],
    ['text without a word', ' -- ', []],
    // "!thi" would exclude N-0001 if it reached to_tsquery as written: the operators are read as spaces.
    ['words among the query language’s operators', "lan & !thi | ':*", ['N-0001']],
  ])('finds by %s, in the actor’s office only', async (_name, text, expected) => {
    expect(await codesFor(text)).toEqual(expected);
  });

  it('sees every office for a province-wide account', async () => {
    expect(await codesFor('nguyen thi lan', admin)).toEqual(['N-0001', 'N-0006']);
  });

  it('counts up to a bound when asked, and says there are more', async () => {
    const all = await service.search({ page: 1, pageSize: 2, countUpTo: 3 }, admin);
    expect(all.items).toHaveLength(2);
    expect(all.total).toBe(4);
    expect((await service.search({ page: 1, pageSize: 2, countUpTo: 10 }, office1)).total).toBe(5);
  });
});

describe('actor names', () => {
  it('names the staff behind timeline references and leaves unknown ones out', async () => {
    const { id } = await createStaffAccount(database.db, { username: 'ten', role: 'staff', officeId: 1, name: 'Võ Thị Tên' });
    const names = await actorNames(database.db, [`staff:${id}`, 'staff:999', 'token:5', 'nobody']);
    expect([...names]).toEqual([[`staff:${id}`, { kind: 'staff', name: 'Võ Thị Tên' }]]);
  });
});
