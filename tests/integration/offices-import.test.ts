import { readFileSync } from 'node:fs';
import { asc, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { areas, auditLog, offices, staffUsers } from '../../db/schema';
import { createTestAssistant, type TestAssistant } from '../support/assistant';
import { createTestToken } from '../support/tokens';

const SAMPLE = readFileSync(new URL('../../knowledge/data/sample-province.json', import.meta.url), 'utf8');
const sample = (): { about: string; offices: Record<string, unknown>[] } => JSON.parse(SAMPLE);

interface Problem {
  row: number;
  field: string;
  message: string;
}

/** One assistant per block, so every block starts from the shipped demo office alone. */
function rig() {
  const state = { assistant: undefined as unknown as TestAssistant, admin: '' };
  beforeAll(async () => {
    state.assistant = await createTestAssistant();
    state.admin = await createTestToken(state.assistant.database.db, 'admin');
  });
  afterAll(async () => state.assistant.close());
  const call = (path: string, init: { method?: string; body?: string; type?: string; token?: string } = {}) =>
    state.assistant.app.request(path, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${init.token ?? state.admin}`, ...(init.type ? { 'content-type': init.type } : {}) },
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
  /** Everything an import could change, to compare before and after a refused one. */
  const snapshot = async () => {
    const db = state.assistant.database.db;
    return {
      offices: await db.select().from(offices).orderBy(asc(offices.id)),
      areas: await db.select().from(areas).orderBy(asc(areas.code)),
      imports: (await db.select().from(auditLog).where(eq(auditLog.action, 'office.import'))).length,
    };
  };
  return { state, call, snapshot };
}

describe('the sample province through the API', () => {
  const { state, call } = rig();

  it('imports all 120 offices and their 160 communes and wards, audited, keeping the demo office', async () => {
    const file = sample();
    expect(file.offices.length).toBeGreaterThanOrEqual(100);
    for (const o of file.offices) {
      expect(o.name).toContain('(dữ liệu mẫu)');
      expect(o.address).toContain('(dữ liệu mẫu)');
    }
    const dry = await call('/api/v1/offices/import?dryRun=true', { method: 'POST', body: SAMPLE, type: 'application/json' });
    expect(dry.status).toBe(200);
    expect(await dry.json()).toMatchObject({ dryRun: true, created: expect.arrayContaining(['phuong-an-loi']) });
    expect(await state.assistant.database.db.select().from(areas)).toHaveLength(0);

    const res = await call('/api/v1/offices/import', { method: 'POST', body: SAMPLE, type: 'application/json' });
    expect(res.status).toBe(200);
    const plan = (await res.json()) as { created: string[]; kept: { code: string }[]; newAreas: string[] };
    expect(plan.created).toHaveLength(file.offices.length);
    expect(plan.newAreas).toHaveLength(160);
    expect(plan.kept.map((k) => k.code)).toEqual(['phuong-mau']);

    const db = state.assistant.database.db;
    const stored = await db.select().from(offices);
    expect(stored).toHaveLength(file.offices.length + 1);
    const served = await db.select({ code: areas.code, office: offices.code }).from(areas).innerJoin(offices, eq(offices.id, areas.officeId));
    const expected = file.offices.flatMap((o) => (o.areas as { code: string }[]).map((a) => ({ code: a.code, office: o.code })));
    expect(served.sort((a, b) => a.code.localeCompare(b.code))).toEqual(expected.sort((a, b) => a.code.localeCompare(b.code)));
    const withFees = stored.find((o) => o.code === 'phuong-an-loi');
    expect(withFees).toMatchObject({ portal: 'https://dichvucong.tinh-mau.example/don-vi/phuong-an-loi', settings: { handoverHours: expect.any(String) } });
    expect(withFees?.settings.certificationFees?.maxPerCopy).toBe(100_000);
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, 'office.import'));
    expect(audit?.after).toMatchObject({ format: 'json', created: plan.created });
  });
});

describe('a bad province file is rejected whole, every bad row listed, nothing changed', () => {
  const { call, snapshot } = rig();

  it('JSON: lists the rows and fields and writes nothing', async () => {
    const file = sample();
    const rows = file.offices.slice(0, 12);
    rows[2] = { ...rows[2], phone: '' };
    rows[6] = { ...rows[6], areas: [{ code: 'Bad Code!', name: 'Xã Sai' }] };
    rows[9] = { ...rows[9], code: rows[0]?.code };
    rows[10] = { ...rows[10], areas: rows[1]?.areas };
    rows[11] = { ...rows[11], portal: 'not a link', fax: '1' };
    const before = await snapshot();
    const res = await call('/api/v1/offices/import', { method: 'POST', body: JSON.stringify({ offices: rows }), type: 'application/json' });
    expect(res.status).toBe(422);
    const { error } = (await res.json()) as { error: { code: string; problems: Problem[] } };
    expect(error.code).toBe('invalid_import');
    const at = error.problems.map((p) => `${p.row}:${p.field}`);
    expect(at).toEqual(expect.arrayContaining(['3:phone', '7:areas.0.code', '10:code', '11:areas', '12:portal', '12:(record)']));
    expect(new Set(error.problems.map((p) => p.row))).toEqual(new Set([3, 7, 10, 11, 12]));
    expect(await snapshot()).toEqual(before);
  });

  it('CSV: lists the rows and fields and writes nothing', async () => {
    const bytes = new Uint8Array(await (await call('/api/v1/offices/export?format=csv')).arrayBuffer());
    const header = 'code,name,address,phone,openingHours,areas,portal,handoverHours,certificationFees,sameDay,holidays,demo';
    const lines = [
      header,
      'xa-mot,Bộ phận một cửa xã Một (dữ liệu mẫu),Số 1 (dữ liệu mẫu),0200 000 0001,7:30-17:00,xa-mot: Xã Một,,,,,,',
      'xa-hai,Bộ phận một cửa xã Hai (dữ liệu mẫu),Số 2 (dữ liệu mẫu),,7:30-17:00,xa-hai Xã Hai,,,,,,',
      'xa-ba,Bộ phận một cửa xã Ba (dữ liệu mẫu),Số 3 (dữ liệu mẫu),0200 000 0003,7:30-17:00,xa-ba: Xã Ba,,,{not json,,,',
      'xa-mot,Bộ phận một cửa xã Bốn (dữ liệu mẫu),Số 4 (dữ liệu mẫu),0200 000 0004,7:30-17:00,xa-mot: Xã Một,,,,,,',
    ];
    // A byte-order mark first, so Excel reads the Vietnamese as UTF-8; then the header and Windows line ends.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes).split('\r\n')[0]).toBe(header);
    const before = await snapshot();
    const res = await call('/api/v1/offices/import', { method: 'POST', body: lines.join('\n'), type: 'text/csv' });
    expect(res.status).toBe(422);
    const { error } = (await res.json()) as { error: { problems: Problem[] } };
    expect(error.problems.map((p) => `${p.row}:${p.field}`)).toEqual(
      expect.arrayContaining(['2:phone', '2:areas', '3:certificationFees', '4:code', '4:areas']),
    );
    expect(error.problems.some((p) => p.row === 1)).toBe(false);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a file that is not a list of offices, or is empty, or neither JSON nor CSV', async () => {
    const before = await snapshot();
    for (const body of ['{"offices": 3}', '[]', '{not json']) {
      const res = await call('/api/v1/offices/import', { method: 'POST', body, type: 'application/json' });
      expect(res.status).toBe(422);
      expect(((await res.json()) as { error: { problems: Problem[] } }).error.problems[0]).toMatchObject({ row: 0, field: '(file)' });
    }
    const unknownColumn = await call('/api/v1/offices/import', { method: 'POST', body: 'name,fax\nA,1\n', type: 'text/csv' });
    expect(((await unknownColumn.json()) as { error: { problems: Problem[] } }).error.problems).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'fax', message: 'unknown column' }), expect.objectContaining({ field: 'address' })]),
    );
    expect((await call('/api/v1/offices/import', { method: 'POST', body: 'x', type: 'text/plain' })).status).toBe(415);
    expect(await snapshot()).toEqual(before);
  });
});

describe('export and import back', () => {
  const { call, snapshot } = rig();

  it.each(['json', 'csv'] as const)('%s: the export imports back with nothing to change, and exports the same again', async (format) => {
    await call('/api/v1/offices/import', { method: 'POST', body: SAMPLE, type: 'application/json' });
    const exported = await (await call(`/api/v1/offices/export?format=${format}`)).text();
    const before = await snapshot();
    const type = format === 'csv' ? 'text/csv' : 'application/json';
    const res = await call('/api/v1/offices/import', { method: 'POST', body: exported, type });
    const plan = (await res.json()) as { created: string[]; updated: string[]; unchanged: string[]; movedAreas: unknown[]; releasedAreas: unknown[] };
    expect(res.status).toBe(200);
    expect(plan).toMatchObject({ created: [], updated: [], movedAreas: [], releasedAreas: [] });
    expect(plan.unchanged).toHaveLength(121);
    const after = await snapshot();
    expect(after.offices).toEqual(before.offices);
    expect(after.areas).toEqual(before.areas);
    expect(await (await call(`/api/v1/offices/export?format=${format}`)).text()).toBe(exported);
  });

  it('keeps a phone written +84 as text in the CSV (no formula) and reads it back', async () => {
    // The sample province first, whichever test of the block ran before.
    await call('/api/v1/offices/import', { method: 'POST', body: SAMPLE, type: 'application/json' });
    const list = (await (await call('/api/v1/offices/export?format=json')).json()) as Record<string, unknown>[];
    const [first] = list;
    const changed = [{ ...first, phone: '+84 200 100 1000' }];
    await call('/api/v1/offices/import', { method: 'POST', body: JSON.stringify(changed), type: 'application/json' });
    const csv = await (await call('/api/v1/offices/export?format=csv')).text();
    expect(csv).toContain(",'+84 200 100 1000,");
    const res = await call('/api/v1/offices/import?dryRun=1', { method: 'POST', body: csv, type: 'text/csv' });
    expect(((await res.json()) as { updated: string[] }).updated).toEqual([]);
  });

  it('moves an area to the office the file names and releases the ones no office of the file serves', async () => {
    // The sample province first, whichever test of the block ran before.
    await call('/api/v1/offices/import', { method: 'POST', body: SAMPLE, type: 'application/json' });
    const list = (await (await call('/api/v1/offices/export?format=json')).json()) as { code: string; areas: { code: string; name: string }[] }[];
    const [a, b] = list.filter((o) => o.areas.length > 0);
    if (!a || !b) throw new Error('expected offices with areas');
    const moved = a.areas[0];
    if (!moved) throw new Error('expected an area');
    const next = [
      { ...a, areas: [] },
      { ...b, areas: [...b.areas, moved] },
    ];
    const dry = (await (await call('/api/v1/offices/import?dryRun=true', { method: 'POST', body: JSON.stringify(next), type: 'application/json' })).json()) as {
      movedAreas: unknown[];
      releasedAreas: string[];
    };
    expect(dry.movedAreas).toEqual([{ code: moved.code, from: a.code, to: b.code }]);
    expect(dry.releasedAreas).toEqual(a.areas.slice(1).map((x) => x.code));
    const res = await call('/api/v1/offices/import', { method: 'POST', body: JSON.stringify(next), type: 'application/json' });
    expect(res.status).toBe(200);
    const db = (await snapshot()).areas;
    const idOf = async (code: string) =>
      (await call('/api/v1/offices')).json().then((r) => (r as { offices: { id: number; code: string }[] }).offices.find((o) => o.code === code)?.id);
    expect(db.find((x) => x.code === moved.code)?.officeId).toBe(await idOf(b.code));
    for (const released of a.areas.slice(1)) expect(db.find((x) => x.code === released.code)?.officeId).toBeNull();
  });
});

describe('office codes and removal', () => {
  const { state, call } = rig();
  const office = (code: string | undefined, name: string) => ({
    ...(code ? { code } : {}),
    name,
    address: 'Số 1 (dữ liệu mẫu)',
    phone: '0200 000 0000',
    openingHours: '7:30-17:00',
  });

  it('refuses a code another office has with 409, on create, on update and when made from the name', async () => {
    const created = await call('/api/v1/offices', {
      method: 'POST',
      body: JSON.stringify(office('xa-trung', 'Xã Trùng (dữ liệu mẫu)')),
      type: 'application/json',
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const again = await call('/api/v1/offices', {
      method: 'POST',
      body: JSON.stringify(office('xa-trung', 'Xã Khác (dữ liệu mẫu)')),
      type: 'application/json',
    });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'code_taken',
      message: expect.stringContaining('xa-trung'),
    });
    const fromName = await call('/api/v1/offices', { method: 'POST', body: JSON.stringify(office(undefined, 'Xã Trùng')), type: 'application/json' });
    expect(fromName.status).toBe(409);
    const other = await call('/api/v1/offices', {
      method: 'POST',
      body: JSON.stringify(office('xa-rieng', 'Xã Riêng (dữ liệu mẫu)')),
      type: 'application/json',
    });
    const otherId = ((await other.json()) as { id: number }).id;
    const update = await call(`/api/v1/offices/${otherId}`, {
      method: 'PUT',
      body: JSON.stringify(office('xa-trung', 'Xã Riêng (dữ liệu mẫu)')),
      type: 'application/json',
    });
    expect(update.status).toBe(409);
    const keep = await call(`/api/v1/offices/${id}`, {
      method: 'PUT',
      body: JSON.stringify({
        ...office(undefined, 'Xã Trùng mới (dữ liệu mẫu)'),
        portal: 'https://dvc.example/xa-trung',
        settings: { handoverHours: '8:00-16:00' },
      }),
      type: 'application/json',
    });
    expect(await keep.json()).toMatchObject({ code: 'xa-trung', portal: 'https://dvc.example/xa-trung', settings: { handoverHours: '8:00-16:00' } });
    const badCode = await call('/api/v1/offices', { method: 'POST', body: JSON.stringify(office('Xã Sai', 'Xã Sai (dữ liệu mẫu)')), type: 'application/json' });
    expect(badCode.status).toBe(400);
  });

  it('removes an office with areas (they stay, without an office) and refuses one that has staff', async () => {
    const db = state.assistant.database.db;
    const file = [{ ...office('xa-bo', 'Xã Bỏ (dữ liệu mẫu)'), areas: [{ code: 'xa-bo', name: 'Xã Bỏ' }] }];
    await call('/api/v1/offices/import', { method: 'POST', body: JSON.stringify(file), type: 'application/json' });
    const [row] = await db.select().from(offices).where(eq(offices.code, 'xa-bo'));
    if (!row) throw new Error('not imported');
    expect((await call(`/api/v1/offices/${row.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await db.select({ code: areas.code }).from(areas).where(isNull(areas.officeId))).toEqual(expect.arrayContaining([{ code: 'xa-bo' }]));

    const busy = (await (
      await call('/api/v1/offices', { method: 'POST', body: JSON.stringify(office('xa-ban', 'Xã Bận (dữ liệu mẫu)')), type: 'application/json' })
    ).json()) as {
      id: number;
    };
    await db.insert(staffUsers).values({
      username: 'xa-ban-staff',
      name: 'Cán bộ xã Bận',
      passwordHash: 'x',
      role: 'staff',
      officeId: busy.id,
      createdAt: state.assistant.clock.now(),
    });
    const refused = await call(`/api/v1/offices/${busy.id}`, { method: 'DELETE' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('office_in_use');
  });

  it('lets only admins import and export', async () => {
    const official = await createTestToken(state.assistant.database.db, 'official');
    expect((await call('/api/v1/offices/export', { token: official })).status).toBe(403);
    expect((await call('/api/v1/offices/import', { method: 'POST', body: '[]', type: 'application/json', token: official })).status).toBe(403);
  });
});
