import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { broadcasts } from '../../db/schema';
import { upsertAreas } from '../../domain/messaging/notification-settings';
import { createTestAssistant, type TestAssistant } from '../support/assistant';
import { type ConsoleClient, createStaffAccount, signInWithHttp } from '../support/console';

let assistant: TestAssistant;
let official: ConsoleClient;

beforeAll(async () => {
  assistant = await createTestAssistant();
  await upsertAreas(assistant.database.db, [{ code: 'ben-thanh', name: 'Phường Bến Thành' }], assistant.clock.now());
  await createStaffAccount(assistant.database.db, { username: 'lanhdao', role: 'official' });
  official = await signInWithHttp(assistant.app, 'lanhdao');
});
afterAll(() => assistant?.close());

const compose = (form: Record<string, string>) => official.post('/console/broadcasts/new', { intent: 'save', ...form });
const saved = () => assistant.database.db.select().from(broadcasts);

describe('console announcements', () => {
  it.each([
    [{ text: '' }, 'Vui lòng nhập nội dung thông báo'],
    [{ text: 'x'.repeat(2001) }, 'Zalo chỉ nhận tối đa 2000'],
    [{ text: 'Hi', linkLabel: 'Mở', linkUrl: 'http://example.vn' }, 'Địa chỉ cần bắt đầu bằng https://'],
    [{ text: 'Hi', linkUrl: 'https://dichvucong.gov.vn' }, 'Vui lòng nhập chữ trên nút'],
    [{ text: 'Hi', areas: 'khong-co' }, 'Có khu vực không còn trong danh sách'],
    [{ text: 'Hi', channels: 'sms' }, 'Vui lòng chọn trong danh sách'],
  ])('refuses %j with its message and saves nothing', async (form, message) => {
    const before = (await saved()).length;
    const res = await compose(form);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(message);
    expect(await saved()).toHaveLength(before);
  });

  it('lets a long text through when Zalo is left out, and refuses a schedule in the past or on a date that does not exist', async () => {
    const res = await compose({ text: 'y'.repeat(3000), channels: 'telegram' });
    expect(res.status).toBe(303);
    const path = res.headers.get('location')?.replace('?done=saved', '') ?? '';
    for (const [date, time, message] of [
      ['2026-11-22', '08:00', 'Thời điểm gửi đã qua'],
      ['2026-02-30', '08:00', 'Vui lòng chọn ngày và giờ gửi hợp lệ'],
      ['2026-12-01', '25:00', 'Vui lòng chọn ngày và giờ gửi hợp lệ'],
    ] as const) {
      const refused = await official.post(`${path}/send`, { when: 'later', date, time });
      expect([date, time, refused.status]).toEqual([date, time, 400]);
      expect(await refused.text()).toContain(message);
    }
    const id = Number(path.split('/').at(-1));
    const row = (await saved()).find((b) => b.id === id);
    expect(row?.status).toBe('draft');
    // 09:30 in Vietnam on 24 November is 02:30 UTC.
    expect((await official.post(`${path}/send`, { when: 'later', date: '2026-11-24', time: '09:30' })).status).toBe(303);
    const scheduled = (await saved()).find((b) => b.id === id);
    expect([scheduled?.status, scheduled?.sendAt?.toISOString()]).toEqual(['scheduled', '2026-11-24T02:30:00.000Z']);
    // Sent or cancelled once: a second try says so and changes nothing.
    expect((await official.post(`${path}/cancel`, {})).status).toBe(303);
    const again = await official.post(`${path}/cancel`, {});
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('Không có gì thay đổi');
    expect((await official.post(`${path}/send`, { when: 'now' })).status).toBe(409);
  });

  it('answers a test send without a linked chat with what to do, and an unknown broadcast with a 404 page', async () => {
    const res = await compose({ text: 'Thử' });
    const path = res.headers.get('location')?.replace('?done=saved', '') ?? '';
    const test = await official.post(`${path}/test`, {});
    expect(test.status).toBe(409);
    expect(await test.text()).toContain('chưa liên kết cuộc trò chuyện nào');
    expect((await official.get('/console/broadcasts/999999')).status).toBe(404);
    expect((await official.post('/console/broadcasts/999999/send', { when: 'now' })).status).toBe(404);
  });

  it('shows only the progress region to the refresh script', async () => {
    const res = await compose({ text: 'Vùng tiến độ' });
    const path = res.headers.get('location')?.replace('?done=saved', '') ?? '';
    const fragment = await official.get(`${path}/progress`);
    const html = await fragment.text();
    expect(html.startsWith('<div id="progress"')).toBe(true);
    expect(html).not.toContain('<html');
  });
});
