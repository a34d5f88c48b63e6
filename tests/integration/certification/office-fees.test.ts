import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offices } from '../../../db/schema';
import { createRequest } from '../../../domain/certification/requests';
import { NATIONAL_COPY_FEES } from '../../../vocabulary/settings';
import { seedCitizen, seedOffice, uniquePhone } from '../../support/certification';
import { TEST_START } from '../../support/clock';
import { createTestDatabase } from '../../support/database';

/**
 * A province's offices may charge their own copy fees (offices.settings.certificationFees, from
 * the province file or the console); the others charge the deployment's table.
 */
let handle: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => handle.close());

const OWN_TABLE = { tiers: [{ fromPage: 1, perPage: 3_000 }], maxPerCopy: 100_000 };

async function quote(officeId: number, pages: number, copies: number) {
  const { citizen, documents } = await seedCitizen(handle.db, { phone: uniquePhone().e164, officeId, documents: [{ title: 'Giấy khai sinh', pages }] });
  const created = await createRequest(handle.db, NATIONAL_COPY_FEES, {
    citizenId: citizen.id,
    identityId: null,
    items: [{ documentId: documents[0]?.id ?? 0, copies }],
    delivery: { method: 'pickup' },
    verification: { method: 'telephone_otp', at: TEST_START, by: 'test' },
    now: TEST_START,
  });
  if (!created.ok) throw new Error(created.reason);
  return created.value.quotedFee;
}

describe('copy fees per office', () => {
  it('charges an office’s own table where it has one, and the deployment’s elsewhere', async () => {
    const own = await seedOffice(handle.db, 'UBND xã Phí Riêng (dữ liệu mẫu)');
    const usual = await seedOffice(handle.db, 'UBND xã Phí Chung (dữ liệu mẫu)');
    await handle.db
      .update(offices)
      .set({ settings: { certificationFees: OWN_TABLE } })
      .where(eq(offices.id, own));
    // 4 pages, 2 copies: 4 × 3,000 × 2 by the office's table; (2 × 2,000 + 2 × 1,000) × 2 nationally.
    expect(await quote(own, 4, 2)).toBe(24_000);
    expect(await quote(usual, 4, 2)).toBe(12_000);
  });
});
