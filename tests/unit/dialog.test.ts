import { describe, expect, it } from 'vitest';
import { createDialog, DialogUnavailable } from '../../bot/core/dialog';
import { type Flow, stateOf } from '../../bot/core/flow';
import type { Inbound } from '../../bot/core/types';
import { helpFlow } from '../../bot/flows/help';
import { menuFlow } from '../../bot/flows/menu';
import { settingsFlow } from '../../bot/flows/settings';
import { createTranslator } from '../../bot/locales';
import { createLogger } from '../../lib/logger';
import { createFakeClock } from '../support/clock';
import { createMemoryStore } from '../support/memory-store';
import { servicesWith } from '../support/services';

/** A flow that records what reached it and asks for a second message. */
const echoFlow: Flow = {
  name: 'echo',
  commands: ['/echo'],
  deepLinkPrefix: 'e',
  start: async (_ctx, arg) => ({ replies: [{ text: `start:${arg ?? ''}` }], state: stateOf('echo', 'waiting') }),
  handle: async (ctx, input) => ({
    replies: [{ text: `${ctx.state?.step ?? 'idle'}:${input.kind === 'text' ? input.text : input.kind === 'action' ? input.action : input.kind}` }],
    state: null,
  }),
};

const failingFlow: Flow = {
  name: 'boom',
  start: async () => {
    throw new Error('database on fire');
  },
  handle: async () => ({ replies: [{ text: 'x', buttons: [[{ label: 'too long', action: `boom:${'x'.repeat(70)}` }]] }] }),
};

/** A flow whose database went away mid-way (a connection reset), once. */
let outages = 0;
const outageFlow: Flow = {
  name: 'outage',
  start: async () => {
    if (outages-- > 0) throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    return { replies: [{ text: 'handled' }] };
  },
  handle: async () => ({ replies: [] }),
};

const NOT_STOPPED = { muted: [], area: null, topics: [], stopped: false };
const notUsed = async (): Promise<never> => {
  throw new Error('not used in this test');
};

function setup() {
  const { store, states } = createMemoryStore();
  const logs: string[] = [];
  const dialog = createDialog({
    store,
    flows: [menuFlow, helpFlow, settingsFlow, echoFlow, failingFlow, outageFlow],
    defaultFlow: 'echo',
    menuFlow: 'menu',
    translator: createTranslator(),
    // The menu asks whether the chat paused its notices; nothing else here uses a port.
    services: servicesWith({ notifications: { view: async () => NOT_STOPPED, change: notUsed, findAreas: notUsed } }),
    clock: createFakeClock(),
    logger: createLogger({ level: 'debug', write: (line) => logs.push(line) }),
  });
  const say = async (message: Inbound, updateId?: string) => {
    const replies = await dialog.handle({ channel: 'web', externalId: 'chat-1', message, ...(updateId ? { updateId } : {}) });
    return replies?.map((r) => r.text) ?? null;
  };
  return { say, states, logs, dialog };
}

describe('dialog routing', () => {
  it('greets /start with the main menu in Vietnamese', async () => {
    const { say } = setup();
    const [text] = (await say({ kind: 'start' })) ?? [];
    expect(text).toMatch(/^Xin chào! Tôi là trợ lý/);
  });

  it('opens the flow named by a deep-link prefix with the rest of the payload', async () => {
    const { say } = setup();
    expect(await say({ kind: 'start', payload: 'e_1-001193' })).toEqual(['start:1-001193']);
  });

  it('falls back to the menu for a deep link nobody owns', async () => {
    const { say } = setup();
    const [text] = (await say({ kind: 'start', payload: 'zz_123' })) ?? [];
    expect(text).toContain('Xin chào');
  });

  it('gives free text to the flow holding the state, then to the default flow', async () => {
    const { say } = setup();
    await say({ kind: 'text', text: '/echo' });
    expect(await say({ kind: 'text', text: 'hello there' })).toEqual(['waiting:hello there']);
    expect(await say({ kind: 'text', text: 'again' })).toEqual(['idle:again']);
  });

  it('recognises commands typed without accents or in capitals, and they clear the state', async () => {
    const { say, states } = setup();
    await say({ kind: 'text', text: '/echo' });
    expect(states.size).toBe(1);
    const [text] = (await say({ kind: 'text', text: 'HƯỚNG DẪN' })) ?? [];
    expect(text).toContain('Gõ câu hỏi');
    expect(states.size).toBe(0);
  });

  it('routes a button action to the flow named before its colon', async () => {
    const { say } = setup();
    expect(await say({ kind: 'action', action: 'echo:pressed' })).toEqual(['idle:echo:pressed']);
  });

  it('switches the language from a button and keeps it for later messages', async () => {
    const { say } = setup();
    expect(await say({ kind: 'action', action: 'settings:lang:en' })).toContain('Switched to English.');
    const [text] = (await say({ kind: 'text', text: 'menu' })) ?? [];
    expect(text).toMatch(/^Hello!/);
  });

  it('asks the citizen to type when they send something unreadable, with a way back to the menu', async () => {
    const { say, dialog } = setup();
    expect((await say({ kind: 'unsupported', what: 'sticker' }))?.[0]).toContain('chỉ đọc được tin nhắn chữ');
    const [reply] = (await dialog.handle({ channel: 'web', externalId: 'chat-1', message: { kind: 'unsupported', what: 'photo' } })) ?? [];
    expect(reply?.buttons?.flat()).toEqual([{ label: expect.any(String), action: 'menu' }]);
  });

  it('handles a redelivered update once', async () => {
    const { say } = setup();
    expect(await say({ kind: 'text', text: 'help' }, 'u-1')).toHaveLength(1);
    expect(await say({ kind: 'text', text: 'help' }, 'u-1')).toBeNull();
  });

  it('cuts very long text before any flow sees it', async () => {
    const { say } = setup();
    const [text] = (await say({ kind: 'text', text: 'a'.repeat(50_000) })) ?? [];
    expect(text).toBe(`idle:${'a'.repeat(1000)}`);
  });
});

describe('dialog error boundary', () => {
  it('logs a failing flow and answers with a polite apology in the chat language', async () => {
    const { say, logs } = setup();
    await say({ kind: 'action', action: 'settings:lang:en' });
    const replies = await say({ kind: 'action', action: 'boom' }, 'u-9');
    expect(replies?.[0]).toMatch(/^Sorry, something went wrong/);
    const entry = logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'dialog failed');
    expect(entry).toMatchObject({ updateId: 'u-9', error: { message: 'database on fire' } });
  });

  it('treats a button action over 64 bytes as a failure instead of sending it to Telegram', async () => {
    const { say } = setup();
    const replies = await say({ kind: 'action', action: 'boom:go' });
    expect(replies?.[0]).toMatch(/^Xin lỗi, hệ thống đang gặp trục trặc/);
  });

  it('asks for a redelivery of an event whose flow failed on infrastructure, forgetting that it saw it', async () => {
    const { say } = setup();
    outages = 1;
    await expect(say({ kind: 'action', action: 'outage' }, 'u-10')).rejects.toBeInstanceOf(DialogUnavailable);
    expect(await say({ kind: 'action', action: 'outage' }, 'u-10')).toEqual(['handled']);
    expect(await say({ kind: 'action', action: 'outage' }, 'u-10')).toBeNull();
  });
});
