import { z } from 'zod';
import { createTestAssistant, type TestAssistant } from '../../support/assistant';
import type { ChannelDriver, Citizen, SeenReply } from './types';

const repliesSchema = z.object({
  replies: z.array(
    z.object({
      title: z.string().optional(),
      text: z.string(),
      buttons: z.array(z.array(z.object({ label: z.string(), action: z.string().optional(), url: z.string().optional() }))).optional(),
    }),
  ),
});

/** The web chat: the page's JSON endpoint, one cookie per citizen. */
export function webDriver(): ChannelDriver {
  let assistant: TestAssistant | undefined;
  const running = () => {
    if (!assistant) throw new Error('web driver is not open');
    return assistant;
  };
  return {
    name: 'web',
    async open() {
      assistant = await createTestAssistant();
    },
    async close() {
      await assistant?.close();
    },
    assistant: running,
    citizen(): Citizen {
      let cookie: string | undefined;
      const send = async (body: Record<string, string>): Promise<SeenReply[]> => {
        const res = await running().app.request('/chat/messages', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
          body: JSON.stringify(body),
        });
        if (res.status !== 200) throw new Error(`web chat answered ${res.status}: ${await res.text()}`);
        cookie = res.headers.get('set-cookie')?.split(';')[0] ?? cookie;
        return repliesSchema.parse(await res.json()).replies.map((r) => ({ ...(r.title ? { title: r.title } : {}), text: r.text, buttons: r.buttons ?? [] }));
      };
      return {
        start: (payload) => send({ start: payload ?? '' }),
        say: (text) => send({ text }),
        press: (action) => send({ action }),
      };
    },
  };
}
