import { describe, expect, it } from 'vitest';
import { officeOf } from '../../domain/catalog/chat-office';
import type { OfficeDirectory, StoredOffice } from '../../domain/catalog/store';
import { DEMO_OFFICE } from '../../knowledge/default-catalog';

const office = (id: number): StoredOffice => ({ ...DEMO_OFFICE, id, code: `office-${id}` });

function directory(officeIds: number[], areaCount = 0): OfficeDirectory {
  const list = officeIds.map(office);
  return {
    byId: new Map(list.map((o) => [o.id, o])),
    byCode: new Map(list.map((o) => [o.code, o])),
    areas: new Map(Array.from({ length: areaCount }, (_, i) => [`area-${i}`, { name: `Phường ${i}`, officeId: officeIds[i % officeIds.length] ?? 0 }])),
  };
}

describe('which office an answer names for a chat', () => {
  it("names the chat's own office", () => {
    expect(officeOf(directory([1, 2], 4), 2)).toEqual({ kind: 'known', office: office(2) });
  });

  it('names the only office of a deployment of one, whatever the chat said', () => {
    expect(officeOf(directory([1]), null)).toEqual({ kind: 'known', office: office(1) });
    expect(officeOf(directory([1]), 9)).toEqual({ kind: 'known', office: office(1) });
  });

  it('asks where the citizen lives when several offices serve communes, listing them only when they are few', () => {
    expect(officeOf(directory([1, 2], 3), null)).toEqual({
      kind: 'ask',
      few: [0, 1, 2].map((i) => ({ code: `area-${i}`, name: `Phường ${i}` })),
    });
    expect(officeOf(directory([1, 2], 7), null)).toEqual({ kind: 'ask', few: [] });
    // An office removed since (another process): asked again rather than named wrongly.
    expect(officeOf(directory([1, 2], 3), 9).kind).toBe('ask');
  });

  it('names none when there is no office, or several and no commune to choose them by', () => {
    expect(officeOf(directory([]), null)).toEqual({ kind: 'none' });
    expect(officeOf(directory([1, 2]), null)).toEqual({ kind: 'none' });
  });
});
