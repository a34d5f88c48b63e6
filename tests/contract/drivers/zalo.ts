import { and, asc, eq, gt } from 'drizzle-orm';
import { expect } from 'vitest';
import { ACTION_PAYLOAD_PREFIX } from '../../../bot/channels/zalo/protocol';
import { renderReplies } from '../../../bot/channels/zalo/render';
import { identities, outbox } from '../../../db/schema';
import type { Reply } from '../../../vocabulary/replies';
import { type FakeZalo, signedZaloEvent } from '../../fakes/zalo-server';
import type { TestAssistant } from '../../support/assistant';
import { startZaloApp } from '../../support/zalo-app';
import type { ChannelDriver, Citizen, SeenReply } from './types';

const KEYS = { appId: '3608465248940903967', oaSecretKey: 'contract-oa-secret-key' };
const APP_SECRET = 'contract-zalo-app-secret';

/**
 * Zalo: signed events POSTed to the webhook; the replies the dialog queued are delivered by the
 * outbox worker to the fake Zalo API. The driver checks that what reached Zalo is exactly those
 * replies rendered as Zalo messages (Zalo folds the title into the text and stacks buttons, so the
 * neutral replies are what scenarios compare across channels).
 */
export function zaloDriver(): ChannelDriver {
  let assistant: TestAssistant | undefined;
  let zalo: FakeZalo | undefined;
  let nextUser = 7_100_000_000;
  let nextEvent = 0;
  const running = () => {
    if (!assistant || !zalo) throw new Error('zalo driver is not open');
    return { assistant, zalo };
  };

  return {
    name: 'zalo',
    async open() {
      ({ zalo, assistant } = await startZaloApp({ ...KEYS, appSecret: APP_SECRET }));
    },
    async close() {
      await assistant?.close();
      await zalo?.close();
    },
    assistant: () => running().assistant,
    citizen(): Citizen {
      const userId = String(++nextUser);
      let lastRow = 0;
      let seenMessages = 0;

      const send = async (event: Record<string, unknown>): Promise<SeenReply[]> => {
        const { assistant: app, zalo: fake } = running();
        // Events without a message id are told apart by their timestamp, as Zalo's are.
        app.clock.advance(1);
        const { body, headers } = signedZaloEvent({ timestamp: String(app.clock.now().getTime()), ...event }, KEYS);
        const res = await app.app.request('/webhooks/zalo', { method: 'POST', body, headers });
        if (res.status !== 200) throw new Error(`zalo webhook answered ${res.status}: ${await res.text()}`);
        while ((await app.delivery.runOnce()) > 0) {}

        const rows = await app.database.db
          .select({ id: outbox.id, payload: outbox.payload, status: outbox.status })
          .from(outbox)
          .innerJoin(identities, eq(identities.id, outbox.identityId))
          .where(and(eq(identities.channel, 'zalo'), eq(identities.externalId, userId), gt(outbox.id, lastRow)))
          .orderBy(asc(outbox.id));
        lastRow = rows.at(-1)?.id ?? lastRow;
        const replies: Reply[] = rows.flatMap((r) => ('replies' in r.payload ? r.payload.replies : []));
        expect(rows.map((r) => r.status)).toEqual(rows.map(() => 'sent'));

        const wire = fake
          .callsTo('cs')
          .filter((c) => JSON.stringify(c.body.recipient) === JSON.stringify({ user_id: userId }))
          .map((c) => c.body.message);
        expect(wire.slice(seenMessages)).toEqual(renderReplies(replies));
        seenMessages = wire.length;
        return replies.map((r) => ({ ...(r.title ? { title: r.title } : {}), text: r.text, buttons: r.buttons ?? [] }));
      };

      const text = (value: string) => ({ event_name: 'user_send_text', sender: { id: userId }, message: { msg_id: `c${++nextEvent}`, text: value } });
      return {
        start(payload) {
          // A Zalo OA conversation starts with a follow; Zalo has no start payload to carry a deep link.
          if (payload) throw new Error('Zalo has no deep-link payload on follow');
          return send({ event_name: 'follow', follower: { id: userId }, source: 'oa_profile' });
        },
        say: (value) => send(text(value)),
        press: (action) => send(text(`${ACTION_PAYLOAD_PREFIX}${action}`)),
      };
    },
  };
}
