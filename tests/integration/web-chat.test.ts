import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAssistant, type TestAssistant } from '../support/assistant';

let assistant: TestAssistant;
beforeAll(async () => {
  assistant = await createTestAssistant();
});
afterAll(async () => assistant.close());

async function post(body: unknown, cookie?: string) {
  const res = await assistant.app.request('/chat/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    res,
    json: (await res.json()) as { replies: { text: string; buttons?: { label: string; action?: string }[][] }[]; error?: { code: string; message: string } },
    cookie: res.headers.get('set-cookie')?.split(';')[0] ?? cookie,
  };
}

describe('web chat', () => {
  it('serves the chat page at the root', async () => {
    const res = await assistant.app.request('/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Trợ lý Bộ phận Một Cửa');
  });

  it('greets a new session in Vietnamese with the main menu and remembers a language switch', async () => {
    const first = await post({ start: '' });
    expect(first.res.status).toBe(200);
    expect(first.cookie).toMatch(/^mc_chat=/);
    expect(first.json.replies[0]?.text).toContain('Xin chào');
    expect(first.json.replies[0]?.buttons?.flat().map((b) => b.action)).toEqual(['ask', 'dossier', 'certify', 'settings', 'help', 'settings:lang:en']);

    const switched = await post({ action: 'settings:lang:en' }, first.cookie);
    expect(switched.json.replies[0]?.text).toBe('Switched to English.');
    const later = await post({ text: 'menu' }, first.cookie);
    expect(later.json.replies[0]?.text).toContain('Hello');
  });

  it('opens repeat certification from the menu by asking for the phone number', async () => {
    const { json } = await post({ action: 'certify' });
    expect(json.replies[0]?.text).toContain('Chứng thực 4.0');
  });

  it('handles a message re-sent with the same id once', async () => {
    const first = await post({ id: 'message-0001', text: 'help' });
    const again = await post({ id: 'message-0001', text: 'help' }, first.cookie);
    expect(first.json.replies).toHaveLength(1);
    expect(again.json).toMatchObject({ replies: [], duplicate: true });
  });

  it.each([
    ['not JSON', '{oops', 'invalid_json'],
    ['no content', {}, 'invalid_message'],
    ['two contents', { text: 'a', action: 'menu' }, 'invalid_message'],
    ['an unknown field', { text: 'a', extra: 1 }, 'invalid_message'],
    ['an oversized action', { action: 'x'.repeat(65) }, 'invalid_message'],
  ])('rejects %s with a 400 and a JSON error', async (_name, body, code) => {
    const { res, json } = await post(body);
    expect(res.status).toBe(400);
    expect(json.error?.code).toBe(code);
  });

  it('reports database health', async () => {
    const res = await assistant.app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: 'ok' });
  });
});
