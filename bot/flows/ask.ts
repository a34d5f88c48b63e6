import { ASPECTS, type Aspect, INTENTS, type Intent } from '../../knowledge/aspects';
import { PROCEDURE_LINK_PREFIX, procedureFromLink } from '../../knowledge/deep-link';
import { clip } from '../../knowledge/facts';
import { cleanText, hasWords } from '../../knowledge/normalize';
import { defaultReferrals } from '../../knowledge/referrals';
import type { SearchHit } from '../../knowledge/search';
import { understand } from '../../knowledge/understand';
import type { Procedure } from '../../vocabulary/procedure';
import type { Button } from '../../vocabulary/replies';
import type { Flow, FlowContext, FlowResult } from '../core/flow';
import { aspectOfLetter, aspectReply, procedureCard, sectionAction, titleOf } from './ask-card';
import { current, fresh, topicOf, topicState } from './ask-state';
import { withCode } from './dossier';
import { backToMenu, menuReply } from './menu';
import { offerAreas, placeSet, placeState } from './place';
import { referralReply } from './referral';
import { talkReply } from './talk';

/** Offered under the prompt; a code the admin removed is simply left out. */
const POPULAR = ['1.001193', '1.000894', '2.000815', '1.004194', '1.004873', '1.014063'];

/**
 * A topic saved this recently is not saved again when the same procedure is shown: follow-ups
 * about one procedure then cost no write, and the topic lapses 25 to 30 minutes after the
 * conversation's last message about it.
 */
const TOPIC_RESAVE_MINUTES = 5;

const isAspect = (value: unknown): value is Aspect => typeof value === 'string' && (ASPECTS as readonly string[]).includes(value);

/**
 * A procedure's first screen, or the section asked about; it becomes the topic. Where the answer
 * would name an office the chat has not told (several offices), the rest is answered and the
 * citizen is asked their commune/ward, to give the where-to-go part once they say it.
 */
async function show(ctx: FlowContext, code: string, aspect: Aspect | null, page = 1): Promise<FlowResult> {
  const procedures = ctx.services.procedures;
  const procedure = await procedures.get(code);
  if (!procedure) return notAProcedure(ctx);
  const where = await ctx.services.offices.officeFor(ctx.identity);
  const link = procedures.link(code);
  const reply = aspect ? aspectReply(ctx, procedure, where, link, aspect, page) : procedureCard(ctx, procedure, where, link);
  const topic = { code: procedure.code, name: procedure.name };
  if (where.kind === 'ask' && (aspect === null || aspect === 'where')) return { replies: [reply], state: placeState(ctx, `ask:w:${code}`, topic) };
  const saved = current(ctx, 'topic', TOPIC_RESAVE_MINUTES)?.code === procedure.code;
  return { replies: [reply], state: saved ? undefined : fresh(ctx, 'topic', topic) };
}

/** A link or button naming a code we do not have: say so and show the menu. */
function notAProcedure(ctx: FlowContext): FlowResult {
  return { replies: [{ text: ctx.t('ask.unknownLink') }, menuReply(ctx, false)], state: null };
}

/** The longest label a button that opens a procedure gets. */
const BUTTON_LABEL_MAX = 60;

/** A button that opens a procedure is labelled with its card's title, cut to fit a button. */
const buttonTitle = (ctx: FlowContext, p: Procedure) => clip(titleOf(ctx, p), BUTTON_LABEL_MAX);

/** The common procedures as buttons. */
async function popular(ctx: FlowContext): Promise<Button[][]> {
  const buttons: Button[][] = [];
  for (const code of POPULAR) {
    const procedure = await ctx.services.procedures.get(code);
    if (procedure) buttons.push([{ label: buttonTitle(ctx, procedure), action: `ask:c:${code}` }]);
  }
  return buttons;
}

async function prompt(ctx: FlowContext): Promise<FlowResult> {
  const buttons = await popular(ctx);
  return { replies: [{ text: `${ctx.t('ask.prompt')}\n\n${ctx.t('ask.popular')}`, buttons: [...buttons, backToMenu(ctx)] }], state: null };
}

/** The procedures just offered to choose from, while a follow-up may still be about them. */
function offeredCodes(ctx: FlowContext): string[] {
  const codes = (current(ctx, 'offered') ?? current(ctx, 'which'))?.codes;
  return Array.isArray(codes) ? codes.filter((code): code is string => typeof code === 'string') : [];
}

/**
 * A follow-up with no procedure in the conversation: ask which one, and answer that part once it
 * is named. Right after a choice was offered ("xin xác nhận khuyết tật" → two procedures, then
 * "mất bao lâu?"), the same procedures are offered again, each opening the part asked.
 */
async function which(ctx: FlowContext, aspect: Aspect): Promise<FlowResult> {
  const codes = offeredCodes(ctx);
  const offered = await optionButtons(ctx, codes, aspect);
  const text = ctx.t(offered.length > 0 ? 'talk.whichOffered' : 'talk.which', { aspect: ctx.t(`talk.aspect_${aspect}`) });
  const buttons = offered.length > 0 ? offered : await popular(ctx);
  return { replies: [{ text, buttons: [...buttons, backToMenu(ctx)] }], state: fresh(ctx, 'which', { aspect, codes }) };
}

/** One button per procedure, labelled with its card's title, opening its card or the part asked. */
async function optionButtons(
  ctx: FlowContext,
  codes: readonly string[],
  aspect: Aspect | null,
  names: ReadonlyMap<string, string> = new Map(),
): Promise<Button[][]> {
  const buttons: Button[][] = [];
  for (const code of codes) {
    // A hit knows only the official name; the card's title is the one citizens read (in English too).
    const procedure = await ctx.services.procedures.get(code);
    const name = names.get(code);
    const label = procedure ? buttonTitle(ctx, procedure) : name && clip(name, BUTTON_LABEL_MAX);
    if (label) buttons.push([{ label, action: aspect ? sectionAction(code, aspect) : `ask:c:${code}` }]);
  }
  return buttons;
}

/** Close procedures to choose from: each opens the part asked, if any ("… có mất phí không"), else its card. */
async function choices(ctx: FlowContext, hits: SearchHit[], aspect: Aspect | null): Promise<FlowResult> {
  const codes = hits.map((hit) => hit.code);
  const buttons = await optionButtons(ctx, codes, aspect, new Map(hits.map((hit) => [hit.code, hit.name])));
  return {
    replies: [{ text: ctx.t(hits.length === 1 ? 'ask.didYouMean' : 'ask.chooseOne'), buttons: [...buttons, backToMenu(ctx)] }],
    state: fresh(ctx, 'offered', { codes }),
  };
}

/**
 * Nothing fits. A plausible procedure question is kept for the admins (digits masked) so the
 * catalog can grow; talk that only shares no words with it is not. Nothing typed is quoted back.
 */
async function notFound(ctx: FlowContext, query: string, plausible: boolean, best: SearchHit | undefined): Promise<FlowResult> {
  const procedures = ctx.services.procedures;
  if (plausible) await procedures.recordUnanswered({ query, channel: ctx.identity.channel, best });
  const where = await ctx.services.offices.officeFor(ctx.identity);
  const message = where.kind === 'known' ? ctx.t('ask.notFound', { office: where.office.name, phone: where.office.phone }) : ctx.t('ask.notFoundNoOffice');
  return { replies: [{ text: message, buttons: [backToMenu(ctx)] }], state: null };
}

/** What the text means (knowledge/understand.ts), the topic of the conversation considered. */
const understood = (ctx: FlowContext, query: string) =>
  understand(query, topicOf(ctx), { search: (q) => ctx.services.procedures.search(q), referrals: defaultReferrals() });

/**
 * The citizen named their commune/ward (a button, or a name that matched one): it is recorded with
 * its office, and the answer that waited for it is given (where to go, for the topic), the topic kept.
 */
async function placeChosen(ctx: FlowContext, areaCode: string): Promise<FlowResult> {
  const pending = current(ctx, 'place');
  const topic = topicOf(ctx);
  const chosen = await ctx.services.offices.chooseArea(ctx.identity, areaCode);
  if (!chosen) return prompt(ctx);
  const said = placeSet(ctx, chosen);
  // A button pressed after the question lapsed still answers where to go for the topic, if any.
  const then = typeof pending?.then === 'string' ? pending.then : topic ? `ask:w:${topic.code}` : null;
  if (!chosen.office || !then) return { replies: [{ ...said, buttons: [backToMenu(ctx)] }], state: topicState(ctx, topic) };
  const served = { ...ctx, identity: { ...ctx.identity, officeId: chosen.office.id }, state: topicState(ctx, topic) };
  const answered = await askFlow.handle(served, { kind: 'action', action: then });
  return { replies: [said, ...answered.replies], state: answered.state === undefined ? served.state : answered.state };
}

/**
 * Text while the commune/ward question is open: a name that matches one area answers it; several
 * matches, or names a typo away, are offered to pick from (the question was just asked, so a name
 * is taken as the answer before anything else); anything else is understood as usual (a follow-up
 * about the topic, another question), and what is neither gets every commune/ward when they are few.
 */
async function answerPlace(ctx: FlowContext, query: string): Promise<FlowResult> {
  const found = await ctx.services.notifications.findAreas(query);
  const [only] = found.areas;
  if (found.matched && only && found.areas.length === 1) return placeChosen(ctx, only.code);
  if (found.near) return { replies: [offerAreas(ctx, found.areas, found.matched, query)] };
  const meant = await understood(ctx, query);
  if (meant.kind === 'none' && found.areas.length > 0) return { replies: [offerAreas(ctx, found.areas, false, query)] };
  return respond(ctx, query, meant);
}

async function answer(ctx: FlowContext, text: string): Promise<FlowResult> {
  const query = cleanText(text);
  if (!hasWords(query)) return { replies: [{ text: ctx.t('ask.emptyQuery'), buttons: [backToMenu(ctx)] }], state: null };
  if (current(ctx, 'place')) return answerPlace(ctx, query);
  return respond(ctx, query, await understood(ctx, query));
}

async function respond(ctx: FlowContext, query: string, meant: Awaited<ReturnType<typeof understood>>): Promise<FlowResult> {
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
      return choices(ctx, meant.hits, meant.aspect);
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
 * topic for half an hour (ask-state.ts). Actions: `ask:c:<code>` the first screen, then one section each
 * (ask-card.ts, ASPECT_LETTERS): `ask:f:<code>` fee, `ask:t:<code>` time, `ask:d:<code>:<page>`
 * papers, `ask:w:<code>` where, `ask:o:<code>` online, `ask:m:<code>` forms, `ask:a:<code>` who
 * may apply; `ask:i:<intent>` everyday talk from a button; `ask:p:<area>` the citizen's commune/ward
 * picked from a list (place.ts).
 */
export const askFlow: Flow = {
  name: 'ask',
  commands: ['/ask', '/thutuc', 'hoi thu tuc', 'tra cuu thu tuc'],
  deepLinkPrefix: PROCEDURE_LINK_PREFIX,
  start: async (ctx, arg) => {
    if (arg === undefined) return prompt(ctx);
    const link = procedureFromLink(arg);
    if (!link.code) return notAProcedure(ctx);
    // A poster at an office's counter names that office: the chat is served by it from now on.
    const office = link.office ? await ctx.services.offices.fromLink(ctx.identity, link.office) : null;
    return show(office ? { ...ctx, identity: { ...ctx.identity, officeId: office.id } } : ctx, link.code, null);
  },
  handle: async (ctx, input) => {
    if (input.kind === 'text') return answer(ctx, input.text);
    if (input.kind !== 'action') return prompt(ctx);
    const [, what, code = '', page] = input.action.split(':');
    if (what === 'i') return isIntent(code) ? talkReply(ctx, code) : prompt(ctx);
    if (what === 'p') return placeChosen(ctx, code);
    return show(ctx, code, aspectOfLetter(what), Number(page) || 1);
  },
};
