import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sectionAction } from '../../bot/flows/ask-card';
import { createTranslator } from '../../bot/locales';
import { telegramDriver } from '../contract/drivers/telegram';
import type { ChannelDriver, Citizen, SeenReply } from '../contract/drivers/types';
import { webDriver } from '../contract/drivers/web';
import { zaloDriver } from '../contract/drivers/zalo';
import { callApi } from '../support/api';
import { createTestToken } from '../support/tokens';
import { classify, sameAnswer } from './classify';
import { type Conversation, type CorpusSet, describe as describeExpected, loadConversations, type Turn } from './corpus';

/**
 * Issue 13's evidence: scripted multi-turn conversations (tests/conversations/*.jsonl) through
 * the channels' contract drivers. Each turn asserts the kind of answer (which card or section of
 * which procedure, which intent, which referral, which dossier step). A run prints its pass rate
 * and every failed turn; the floors sit below the rates measured when they were set, so one
 * changed answer does not fail the suite but a real regression does.
 */
// Measured 2026-12-01 on the web chat (Telegram and Zalo answer the same): tuning 81.6%, held-out 64.2% of turns (issue 13 is not
// done: the misses printed are the work left). Floors just under the measure keep what works.
// Round 2 of tuning (eval questions only, measured once after): tuning 87.2%, held-out 73.6%.
// 2026-12-02, the talk the tuning conversations missed (English stop phrases that swallowed
// "where", who-may-come phrasings, complaints and praise in other words, aspect words that are
// part of a procedure's name, "chào nhé" as goodbye, "kiện ra tòa" as a lawsuit): tuning 94.4%, held-out
// 77.7%.
const FLOOR: Record<CorpusSet, number> = { tuning: 0.9, holdout: 0.7 };

const translate = createTranslator();
const translators = [translate('vi'), translate('en')];
const PHONE = '0905 246 813';
const RIGHT_DIGITS = '6813';
const WRONG_DIGITS = '1357';

const drivers = [webDriver(), telegramDriver(), zaloDriver()];
beforeAll(() => Promise.all(drivers.map((d) => d.open())));
afterAll(() => Promise.all(drivers.map((d) => d.close())));

let serial = 0;

/** A dossier the conversation can look up, seeded through the API as the office software would. */
async function seedDossier(driver: ChannelDriver): Promise<string> {
  const { app, database } = driver.assistant();
  const token = await createTestToken(database.db, 'staff', { officeId: 1 });
  const code = `H19.${driver.name.slice(0, 1).toUpperCase()}${++serial}-261122-0001`;
  const created = await callApi(app, 'PUT', `/api/v1/dossiers/${code}`, token, {
    procedureCode: '1.001193',
    procedureName: 'Đăng ký khai sinh',
    field: 'Hộ tịch',
    applicantName: 'Nguyễn Thị Hoa',
    applicantPhone: PHONE,
    channel: 'counter',
    receivedAt: '2026-11-20T08:00:00+07:00',
    dueAt: '2099-11-20T16:30:00+07:00',
  });
  if (created.status !== 201) throw new Error(`could not seed a dossier: ${created.status}`);
  return code;
}

/** The button the corpus names: by its label, else (labels change) by where it leads. */
function buttonFor(replies: SeenReply[], turn: Extract<Turn, { press: string }>): string | undefined {
  const buttons = replies.flatMap((r) => r.buttons.flat());
  const bare = (label: string) => label.replace(/[^\p{L}\p{N} ]/gu, '').trim();
  const byLabel = buttons.find((b) => b.label === turn.press) ?? buttons.find((b) => bare(b.label) === bare(turn.press));
  if (byLabel?.action) return byLabel.action;
  const expected = turn.expect;
  if ('card' in expected) return buttons.find((b) => b.action === `ask:c:${expected.card}`)?.action;
  if ('section' in expected) return buttons.find((b) => b.action === sectionAction(expected.code, expected.section))?.action;
  return undefined;
}

interface Failure {
  conversation: string;
  turn: number;
  said: string;
  expected: string;
  seen: string;
}

/** Runs one conversation; returns each turn's outcome (true: the expected kind of answer). */
async function run(driver: ChannelDriver, conversation: Conversation, failures: Failure[]): Promise<boolean[]> {
  const citizen: Citizen = driver.citizen();
  const needsDossier = conversation.turns.some((t) => 'say' in t && t.say.includes('{{code}}'));
  const code = needsDossier ? await seedDossier(driver) : '';
  if (conversation.lang === 'en') await citizen.say('/lang en');
  let last: SeenReply[] = [];
  const outcomes: boolean[] = [];
  for (const [index, turn] of conversation.turns.entries()) {
    let said: string;
    if ('say' in turn) {
      said = turn.say.replaceAll('{{code}}', code).replaceAll('{{digits}}', RIGHT_DIGITS).replaceAll('{{wrong}}', WRONG_DIGITS);
      last = await citizen.say(said);
    } else {
      said = `[${turn.press}]`;
      const action = buttonFor(last, turn);
      last = action ? await citizen.press(action) : [];
    }
    const expected = describeExpected(turn.expect);
    const seen = classify(last, translators);
    outcomes.push(sameAnswer(seen, expected));
    if (!outcomes.at(-1)) failures.push({ conversation: conversation.name, turn: index + 1, said, expected, seen });
  }
  return outcomes;
}

/**
 * The whole corpus runs through the web chat, against the floors. Telegram and Zalo each run every
 * third conversation (a different third each) and must give the same outcome on every turn as the
 * web chat: the dialog is one, the channels only carry it, and the contract scenarios cover their
 * details. (All three in full tripled the suite's slowest file for no more evidence.)
 */
describe('scripted conversations', () => {
  it.each(['tuning', 'holdout'] as const)(
    'carry the %s conversations on the web chat, with the same answers on Telegram and Zalo',
    async (set) => {
      const [web, ...others] = drivers;
      if (!web) throw new Error('no web driver');
      const conversations = loadConversations(set);
      const failures: Failure[] = [];
      const onWeb = new Map<string, boolean[]>();
      for (const conversation of conversations) onWeb.set(conversation.name, await run(web, conversation, failures));
      const outcomes = [...onWeb.values()].flat();
      const rate = outcomes.filter(Boolean).length / outcomes.length;
      console.log(
        `conversations ${set} on web: ${outcomes.filter(Boolean).length}/${outcomes.length} turns (${(rate * 100).toFixed(1)}%) in ${conversations.length} conversations`,
      );
      if (failures.length) console.log(failures.map((f) => `  ${f.conversation} #${f.turn} «${f.said}»: want ${f.expected}, got ${f.seen}`).join('\n'));
      expect(rate).toBeGreaterThanOrEqual(FLOOR[set]);

      for (const [k, driver] of others.entries()) {
        const sample = conversations.filter((_, i) => i % 3 === k);
        const differing: string[] = [];
        for (const conversation of sample) {
          const here = await run(driver, conversation, []);
          if (JSON.stringify(here) !== JSON.stringify(onWeb.get(conversation.name))) differing.push(conversation.name);
        }
        expect([driver.name, sample.length > 10, differing]).toEqual([driver.name, true, []]);
      }
    },
    300_000,
  );
});
