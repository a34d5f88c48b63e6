import { codeFromLink, PROCEDURE_LINK_PREFIX } from '../../knowledge/deep-link';
import { clip } from '../../knowledge/facts';
import { cleanText, hasWords } from '../../knowledge/normalize';
import type { Button } from '../../vocabulary/replies';
import type { Flow, FlowContext, FlowResult } from '../core/flow';
import { aspectOfLetter, aspectReply, procedureCard } from './ask-card';
import { backToMenu, menuReply } from './menu';

/** Offered under the prompt; a code the admin removed is simply left out. */
const POPULAR = ['1.001193', '1.000894', '2.000815', '1.004194', '1.004873', '1.014063'];

async function card(ctx: FlowContext, code: string): Promise<FlowResult> {
  const procedures = ctx.services.procedures;
  const procedure = await procedures.get(code);
  if (!procedure) return notAProcedure(ctx);
  return { replies: [procedureCard(ctx, procedure, await procedures.office(), procedures.link(code))], state: null };
}

/** A link or button naming a code we do not have: say so and show the menu. */
function notAProcedure(ctx: FlowContext): FlowResult {
  return { replies: [{ text: ctx.t('ask.unknownLink') }, menuReply(ctx, false)], state: null };
}

async function prompt(ctx: FlowContext): Promise<FlowResult> {
  const buttons: Button[][] = [];
  for (const code of POPULAR) {
    const procedure = await ctx.services.procedures.get(code);
    if (procedure)
      buttons.push([
        { label: clip(ctx.locale === 'en' && procedure.nameEn ? procedure.nameEn : procedure.name.replace(/^Thủ tục /, ''), 60), action: `ask:c:${code}` },
      ]);
  }
  buttons.push(backToMenu(ctx));
  return { replies: [{ text: `${ctx.t('ask.prompt')}\n\n${ctx.t('ask.popular')}`, buttons }], state: null };
}

async function answer(ctx: FlowContext, text: string): Promise<FlowResult> {
  const { t } = ctx;
  const query = cleanText(text);
  if (!hasWords(query)) return { replies: [{ text: t('ask.emptyQuery'), buttons: [backToMenu(ctx)] }], state: null };
  const procedures = ctx.services.procedures;
  const found = await procedures.search(query);
  const [first] = found.choices;
  if (found.decision === 'one' && first) return card(ctx, first.code);
  if (found.decision === 'several' && found.choices.length) {
    const choices = found.choices.map((hit) => [{ label: clip(hit.name.replace(/^Thủ tục /, ''), 60), action: `ask:c:${hit.code}` }]);
    return { replies: [{ text: t(found.choices.length === 1 ? 'ask.didYouMean' : 'ask.chooseOne'), buttons: [...choices, backToMenu(ctx)] }], state: null };
  }
  await procedures.recordUnanswered({ query, channel: ctx.identity.channel, best: found.hits[0] });
  const office = await procedures.office();
  const shown = clip(query, 80);
  const message = office ? t('ask.notFound', { query: shown, office: office.name, phone: office.phone }) : t('ask.notFoundNoOffice', { query: shown });
  return { replies: [{ text: message, buttons: [backToMenu(ctx)] }], state: null };
}

/**
 * Questions about procedures, and the default flow for free text: one confident match shows
 * its card, a few close ones are offered as buttons, none gets a polite answer with the office's
 * phone (and the question is kept for the admins). Actions: `ask:c:<code>` the first screen,
 * then one section each (ask-card.ts, ASPECT_LETTERS): `ask:f:<code>` fee, `ask:t:<code>` time,
 * `ask:d:<code>:<page>` papers, `ask:w:<code>` where, `ask:o:<code>` online, `ask:m:<code>`
 * forms, `ask:a:<code>` who may apply.
 */
export const askFlow: Flow = {
  name: 'ask',
  commands: ['/ask', '/thutuc', 'hoi thu tuc', 'tra cuu thu tuc'],
  deepLinkPrefix: PROCEDURE_LINK_PREFIX,
  start: async (ctx, arg) => {
    if (arg === undefined) return prompt(ctx);
    const code = codeFromLink(arg);
    return code ? card(ctx, code) : notAProcedure(ctx);
  },
  handle: async (ctx, input) => {
    if (input.kind === 'text') return answer(ctx, input.text);
    if (input.kind !== 'action') return prompt(ctx);
    const [, what, code = '', page] = input.action.split(':');
    const procedures = ctx.services.procedures;
    const procedure = await procedures.get(code);
    if (!procedure) return notAProcedure(ctx);
    const aspect = aspectOfLetter(what);
    if (!aspect) return card(ctx, code);
    return { replies: [aspectReply(ctx, procedure, await procedures.office(), procedures.link(code), aspect, Number(page) || 1)], state: null };
  },
};
