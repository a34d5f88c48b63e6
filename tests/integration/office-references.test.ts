import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inUse, officeReferences } from '../../domain/catalog/office-references';
import { createTestAssistant, type TestAssistant } from '../support/assistant';
import { createStaffAccount } from '../support/console';

let assistant: TestAssistant;
beforeAll(async () => {
  assistant = await createTestAssistant();
});
afterAll(() => assistant?.close());

describe('officeReferences', () => {
  it('counts what still belongs to an office, and nothing for an unused one', async () => {
    const db = assistant.database.db;
    expect(await officeReferences(db, 1)).toEqual({ staff: 0, dossiers: 0, certificationRequests: 0, documents: 0 });
    expect(inUse(await officeReferences(db, 1))).toBe(false);
    await createStaffAccount(db, { username: 'clerk1', role: 'staff', officeId: 1 });
    await createStaffAccount(db, { username: 'clerk2', role: 'staff', officeId: 1 });
    await createStaffAccount(db, { username: 'other', role: 'staff', officeId: 7 });
    expect(await officeReferences(db, 1)).toMatchObject({ staff: 2 });
    expect(inUse(await officeReferences(db, 1))).toBe(true);
    expect(inUse(await officeReferences(db, 2))).toBe(false);
  });
});
