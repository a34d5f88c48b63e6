import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { Api, GrammyError, HttpError } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotApiFetch } from '../../bot/channels/telegram/bot-api-fetch';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A Bot API stand-in on 127.0.0.1 that records each request and answers as the test asks. */
let server: Server;
let root: string;
const seen: Seen[] = [];
let answer: { status: number; body: unknown; delayMs?: number } = { status: 200, body: { ok: true, result: true } };

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const fetchLike = createBotApiFetch();
const api = (timeoutSeconds = 5) =>
  new Api('123:TEST-token-for-the-fetch-test', { apiRoot: root, timeoutSeconds, fetch: fetchLike as unknown as typeof fetch });

describe('Bot API fetch over undici', () => {
  it('carries a grammY call: JSON body, path, content type, and the parsed answer', async () => {
    seen.length = 0;
    answer = { status: 200, body: { ok: true, result: { message_id: 7, date: 1, chat: { id: 42, type: 'private' }, text: 'Xin chào' } } };
    const sent = await api().sendMessage(42, 'Xin chào', { reply_markup: { inline_keyboard: [[{ text: 'Menu', callback_data: 'menu' }]] } });
    expect(sent.message_id).toBe(7);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.method).toBe('POST');
    expect(seen[0]?.url).toBe('/bot123:TEST-token-for-the-fetch-test/sendMessage');
    expect(seen[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({
      chat_id: 42,
      text: 'Xin chào',
      reply_markup: { inline_keyboard: [[{ text: 'Menu', callback_data: 'menu' }]] },
    });
  });

  it('hands Bot API refusals to grammY as GrammyError with the code and retry_after', async () => {
    answer = { status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } } };
    const failure = await api()
      .sendMessage(42, 'x')
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GrammyError);
    expect((failure as GrammyError).error_code).toBe(429);
    expect((failure as GrammyError).parameters.retry_after).toBe(3);
  });

  it("gives up at grammY's timeout through the abort signal", async () => {
    // The answer would come after 20 s, a success: only a working 1 s timeout makes this an error.
    answer = { status: 200, body: { ok: true, result: true }, delayMs: 20_000 };
    const failure = await api(1)
      .sendMessage(42, 'x')
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HttpError);
  });

  it('reports a refused connection as a network error', async () => {
    const closed = new Api('123:TEST-token-for-the-fetch-test', { apiRoot: 'http://127.0.0.1:9', fetch: fetchLike as unknown as typeof fetch });
    await expect(closed.getMe()).rejects.toBeInstanceOf(HttpError);
  });

  it('streams a multipart body given as a Node stream, and refuses a body it cannot send', async () => {
    seen.length = 0;
    answer = { status: 200, body: { ok: true, result: true } };
    const res = await fetchLike(`${root}/bot1:x/sendDocument`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=b', connection: 'keep-alive' },
      body: Readable.from(['--b\r\n', 'part\r\n', '--b--\r\n']),
    });
    expect(await res.json()).toEqual({ ok: true, result: true });
    expect(seen[0]?.body).toBe('--b\r\npart\r\n--b--\r\n');
    await expect(fetchLike(`${root}/bot1:x/sendDocument`, { method: 'POST', body: new Blob(['x']) })).rejects.toThrow(/unsupported Bot API request body/);
  });
});
