import { ASPECTS, type Aspect, INTENTS, type Intent } from '../../knowledge/aspects';
import { codeFromLink, PROCEDURE_LINK_PREFIX } from '../../knowledge/deep-link';
import { clip } from '../../knowledge/facts';
import { cleanText, hasWords } from '../../knowledge/normalize';
import { defaultReferrals } from '../../knowledge/referrals';
import type { SearchHit } from '../../knowledge/search';
import { type Topic, understand } from '../../knowledge/understand';
import type { Procedure } from '../../vocabulary/procedure';
import type { Button } from '../../vocabulary/replies';
import { type Flow, type FlowContext, type FlowResult, stateOf } from '../core/flow';
import { aspectOfLetter, aspectReply, procedureCard } from './ask-card';
import { withCode } from './dossier';
import { backToMenu, menuReply } from './menu';
import { referralReply } from './referral';
import { talkReply } from './talk';

/** Offered under the prompt; a code the admin removed is simply left out. */
const POPULAR = ['1.001193', '1.000894', '2.000815', '1.004194', '1.004873', '1.014063'];

/**
 * How long the procedure just shown stays the topic of follow-ups ("phí bao nhiêu?"). Kept in the
 * stored dialog state with the time it was shown, so whichever process takes the next message
 * knows it; after this the citizen has moved on, and a bare follow-up asks which procedure.
 */
const TOPIC_MINUTES = 30;
/**
 * A topic saved this recently is not saved again when the same procedure is shown: follow-ups
 * about one procedure then cost no write, and the topic lapses 25 to 30 minutes after the
 * conversation's last message about it.
 */
const TOPIC_RESAVE_MINUTES = 5;

const isAspect = (value: unknown): value is Aspect => typeof value === 'string' && (ASPECTS as readonly string[]).includes(value);

/** A fresh state of this flow, stamped with the time it was saved. */
const fresh = (ctx: FlowContext, step: 'topic' | 'which', data: Record<string, unknown>) => stateOf('ask', step, { ...data, at: ctx.now.toISOString() });

/** The stored state of this flow at `step`, if it is younger than `minutes`. */
function current(ctx: FlowContext, step: 'topic' | 'which', minutes = TOPIC_MINUTES): Record<string, unknown> | null {
  const state = ctx.state;
  if (state?.flow !== 'ask' || state.step !== step || typeof state.data.at !== 'string') return null;
  const age = ctx.now.getTime() - Date.parse(state.data.at);
  return age >= 0 && age <= minutes * 60_000 ? state.data : null;
}

/** The procedure the conversation is about, if one was shown in the last TOPIC_MINUTES. */
function topicOf(ctx: FlowContext): Topic | null {
  const data = current(ctx, 'topic');
  return data && typeof data.code === 'string' && typeof data.name === 'string' ? { code: data.code, name: data.name } : null;
}

/** A procedure's first screen, or the section asked about; it becomes the topic. */
async function show(ctx: FlowContext, code: string, aspect: Aspect | null, page = 1): Promise<FlowResult> {
  const procedures = ctx.services.procedures;
  const procedure = await procedures.get(code);
  if (!procedure) return notAProcedure(ctx);
  const office = await procedures.office();
  const link = procedures.link(code);
  const reply = aspect ? aspectReply(ctx, procedure, office, link, aspect, page) : procedureCard(ctx, procedure, office, link);
  const saved = current(ctx, 'topic', TOPIC_RESAVE_MINUTES)?.code === procedure.code;
  return { replies: [reply], state: saved ? undefined : fresh(ctx, 'topic', { code: procedure.code, name: procedure.name }) };
}

/** A link or button naming a code we do not have: say so and show the menu. */
function notAProcedure(ctx: FlowContext): FlowResult {
  return { replies: [{ text: ctx.t('ask.unknownLink') }, menuReply(ctx, false)], state: null };
}

const shortName = (ctx: FlowContext, p: Pick<Procedure, 'name' | 'nameEn'> & { shortName?: string | undefined }) =>
  clip(ctx.locale === 'en' && p.nameEn ? p.nameEn : (p.shortName ?? p.name.replace(/^Thủ tục /, '')), 60);

/** The common procedures as buttons. */
async function popular(ctx: FlowContext): Promise<Button[][]> {
  const buttons: Button[][] = [];
  for (const code of POPULAR) {
    const procedure = await ctx.services.procedures.get(code);
    if (procedure) buttons.push([{ label: shortName(ctx, procedure), action: `ask:c:${code}` }]);
  }
  return buttons;
}

async function prompt(ctx: FlowContext): Promise<FlowResult> {
  const buttons = await popular(ctx);
  return { replies: [{ text: `${ctx.t('ask.prompt')}\n\n${ctx.t('ask.popular')}`, buttons: [...buttons, backToMenu(ctx)] }], state: null };
}

/** A follow-up with no procedure in the conversation: ask which one, and answer that part once it is named. */
async function which(ctx: FlowContext, aspect: Aspect): Promise<FlowResult> {
  const text = ctx.t('talk.which', { aspect: ctx.t(`talk.aspect_${aspect}`) });
  return { replies: [{ text, buttons: [...(await popular(ctx)), backToMenu(ctx)] }], state: fresh(ctx, 'which', { aspect }) };
}

function choices(ctx: FlowContext, hits: SearchHit[]): FlowResult {
  const buttons = hits.map((hit) => [{ label: shortName(ctx, hit), action: `ask:c:${hit.code}` }]);
  return { replies: [{ text: ctx.t(hits.length === 1 ? 'ask.didYouMean' : 'ask.chooseOne'), buttons: [...buttons, backToMenu(ctx)] }], state: null };
}

/**
 * Nothing fits. A plausible procedure question is kept for the admins (digits masked) so the
 * catalog can grow; talk that only shares no words with it is not. Nothing typed is quoted back.
 */
async function notFound(ctx: FlowContext, query: string, plausible: boolean, best: SearchHit | undefined): Promise<FlowResult> {
  const procedures = ctx.services.procedures;
  if (plausible) await procedures.recordUnanswered({ query, channel: ctx.identity.channel, best });
  const office = await procedures.office();
  const message = office ? ctx.t('ask.notFound', { office: office.name, phone: office.phone }) : ctx.t('ask.notFoundNoOffice');
  return { replies: [{ text: message, buttons: [backToMenu(ctx)] }], state: null };
}

async function answer(ctx: FlowContext, text: string): Promise<FlowResult> {
  const query = cleanText(text);
  if (!hasWords(query)) return { replies: [{ text: ctx.t('ask.emptyQuery'), buttons: [backToMenu(ctx)] }], state: null };
  const procedures = ctx.services.procedures;
  const meant = await understand(query, topicOf(ctx), { search: (q) => procedures.search(q), referrals: defaultReferrals() });
  switch (meant.kind) {
    case 'dossier':
      return withCode(ctx, meant.code);
    case 'intent':
      return talkReply(ctx, meant.intent);
    case 'which':
      return which(ctx, meant.aspect);
    case 'procedure': {
      const pending = current(ctx, 'which')?.aspect;
      return show(ctx, meant.code, meant.aspect ?? (isAspect(pending) ? pending : null));
    }
    case 'choices':
      return choices(ctx, meant.hits);
    case 'referral':
      return { replies: [referralReply(ctx, meant.referral)], state: null };
    case 'none':
      return notFound(ctx, query, meant.plausible, meant.best);
  }
}

const isIntent = (value: string): value is Intent => (INTENTS as readonly string[]).includes(value);

/**
 * Questions about procedures, and the default flow for free text: a message is understood
 * (knowledge/understand.ts) as a receipt code, everyday talk, a follow-up about the procedure just
 * shown, a service handled elsewhere, or a procedure question. The procedure shown last is the
 * topic for TOPIC_MINUTES. Actions: `ask:c:<code>` the first screen, then one section each
 * (ask-card.ts, ASPECT_LETTERS): `ask:f:<code>` fee, `ask:t:<code>` time, `ask:d:<code>:<page>`
 * papers, `ask:w:<code>` where, `ask:o:<code>` online, `ask:m:<code>` forms, `ask:a:<code>` who
 * may apply; `ask:i:<intent>` everyday talk from a button.
 */
export const askFlow: Flow = {
  name: 'ask',
  commands: ['/ask', '/thutuc', 'hoi thu tuc', 'tra cuu thu tuc'],
  deepLinkPrefix: PROCEDURE_LINK_PREFIX,
  start: async (ctx, arg) => {
    if (arg === undefined) return prompt(ctx);
    const code = codeFromLink(arg);
    return code ? show(ctx, code, null) : notAProcedure(ctx);
  },
  handle: async (ctx, input) => {
    if (input.kind === 'text') return answer(ctx, input.text);
    if (input.kind !== 'action') return prompt(ctx);
    const [, what, code = '', page] = input.action.split(':');
    if (what === 'i') return isIntent(code) ? talkReply(ctx, code) : prompt(ctx);
    return show(ctx, code, aspectOfLetter(what), Number(page) || 1);
  },
};
