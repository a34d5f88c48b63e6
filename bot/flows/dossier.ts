import { receiptCodeSchema } from '../../domain/dossiers/input';
import type { ChatRef, DossierCard } from '../../domain/dossiers/lookup';
import { outcomeLines } from '../../domain/dossiers/render';
import { findReceiptCode } from '../../knowledge/receipt-code';
import { formatLocalDate } from '../../lib/vn-time';
import type { Button, Reply } from '../../vocabulary/replies';
import type { Flow, FlowContext, FlowResult } from '../core/flow';
import { stateOf } from '../core/flow';
import { backToMenu } from './menu';

export const chatOf = (ctx: FlowContext): ChatRef => ({
  identityId: ctx.identity.id,
  citizenId: ctx.identity.citizenId,
  ...(ctx.origin ? { origin: ctx.origin } : {}),
});

/**
 * The card of one dossier: procedure, the office handling it, dates, status in plain words, what
 * the citizen must do. A chat that has no office yet is served by the dossier's from now on.
 */
async function dossierCard(ctx: FlowContext, card: DossierCard): Promise<Reply> {
  const { t } = ctx;
  const office = await ctx.services.offices.byId(card.officeId);
  await ctx.services.offices.adopt(ctx.identity, card.officeId);
  const lines = [
    t('dossier.card_procedure', { name: card.procedure }),
    ...(office ? [t('dossier.card_office', { name: office.name, address: office.address, phone: office.phone })] : []),
    t('dossier.card_received', { date: formatLocalDate(card.receivedAt) }),
    t('dossier.card_due', { date: formatLocalDate(card.dueAt) }),
    t('dossier.card_status', { status: t(`dossier.status_${card.status}`) }),
    ...(card.note ? [t('dossier.card_note', { note: card.note })] : []),
    ...outcomeLines(t, card.status, card.details),
    ...(card.overdue ? [t('dossier.card_overdue')] : []),
  ];
  const follow = card.following
    ? { label: t('dossier.unfollow'), action: `dossier:unfollow:${card.id}` }
    : { label: t('dossier.follow'), action: `dossier:follow:${card.id}` };
  return {
    title: t('dossier.card_title', { code: card.receiptCode }),
    text: lines.join('\n'),
    buttons: [[follow], [{ label: t('dossier.tryAgain'), action: 'dossier:again' }], backToMenu(ctx)],
  };
}

/** The way out of a look-up for a citizen without the code: what to do when it is lost. */
const lostCodeButton = (ctx: FlowContext): Button[] => [{ label: ctx.t('dossier.lostCode'), action: 'ask:i:lost_code' }];

/** Asks for the receipt code (after `lead`, when something went wrong). */
export const askCode = (ctx: FlowContext, lead?: string): FlowResult => ({
  replies: [
    {
      title: ctx.t('dossier.title'),
      text: lead ? `${lead}\n\n${ctx.t('dossier.askCode')}` : ctx.t('dossier.askCode'),
      buttons: [lostCodeButton(ctx), backToMenu(ctx)],
    },
  ],
  state: stateOf('dossier', 'code'),
});

/** Asks for the last 4 digits of the applicant's phone again, with a way to type another code. */
const askDigitsAgain = (ctx: FlowContext, code: string, lead: string): FlowResult => ({
  replies: [
    {
      text: `${lead}\n\n${ctx.t('dossier.askDigitsAgain')}`,
      buttons: [[{ label: ctx.t('dossier.otherCode'), action: 'dossier:again' }], lostCodeButton(ctx), backToMenu(ctx)],
    },
  ],
  state: stateOf('dossier', 'phone', { code }),
});

const rateLimited = (ctx: FlowContext, minutes: number): FlowResult => ({
  replies: [{ text: ctx.t('dossier.rateLimited', { minutes }), buttons: [backToMenu(ctx)] }],
  state: null,
});

/** The citizen typed a receipt code: answer a linked chat at once, ask everyone else for the digits. */
export async function withCode(ctx: FlowContext, typed: string): Promise<FlowResult> {
  const code = receiptCodeSchema.safeParse(typed);
  if (!code.success) return askCode(ctx, ctx.t('dossier.badCode'));
  const outcome = await ctx.services.dossiers.lookup(chatOf(ctx), code.data);
  if (outcome.ok) return { replies: [await dossierCard(ctx, outcome.card)], state: null };
  if (outcome.reason === 'rate_limited') return rateLimited(ctx, outcome.retryAfterMinutes);
  return { replies: [{ text: ctx.t('dossier.askPhone'), buttons: [backToMenu(ctx)] }], state: stateOf('dossier', 'phone', { code: code.data }) };
}

async function withDigits(ctx: FlowContext, code: string, typed: string): Promise<FlowResult> {
  const digits = typed.replace(/\s+/g, '');
  if (!/^\d{4}$/.test(digits)) return askDigitsAgain(ctx, code, ctx.t('dossier.badDigits'));
  const outcome = await ctx.services.dossiers.lookup(chatOf(ctx), code, digits);
  if (outcome.ok) return { replies: [await dossierCard(ctx, outcome.card)], state: null };
  if (outcome.reason === 'rate_limited') return rateLimited(ctx, outcome.retryAfterMinutes);
  if (outcome.reason === 'too_many_guesses') {
    return { replies: [{ text: ctx.t('dossier.tooManyGuesses', { hours: outcome.retryAfterHours }), buttons: [backToMenu(ctx)] }], state: null };
  }
  // A wrong code and wrong digits read the same, so neither can be guessed one at a time. The
  // citizen may try the digits again (each try counts toward the same limits) or type the code anew.
  return askDigitsAgain(ctx, code, ctx.t('dossier.notFound'));
}

async function onAction(ctx: FlowContext, action: string): Promise<FlowResult> {
  const [, verb = '', id = ''] = action.split(':');
  const dossierId = Number(id);
  if (verb === 'again' || !Number.isInteger(dossierId) || dossierId <= 0) return askCode(ctx);
  const chat = chatOf(ctx);
  if (verb === 'view') {
    const card = await ctx.services.dossiers.view(chat, dossierId);
    return card.ok ? { replies: [await dossierCard(ctx, card.value)], state: null } : askCode(ctx, ctx.t('dossier.notAllowed'));
  }
  if (verb === 'follow' || verb === 'unfollow') {
    const card = await ctx.services.dossiers.follow(chat, dossierId, verb === 'follow');
    if (!card.ok) return askCode(ctx, ctx.t('dossier.notAllowed'));
    const said = ctx.t(verb === 'follow' ? 'dossier.followed' : 'dossier.unfollowed', { code: card.value.receiptCode });
    return { replies: [{ text: said }, await dossierCard(ctx, card.value)], state: null };
  }
  return askCode(ctx);
}

/**
 * "Tra cứu hồ sơ": receipt code, then the last 4 digits of the applicant's phone (skipped for a
 * chat linked to the applicant by a verified phone), then the card with "Theo dõi". A receipt's
 * QR code may open it directly with `/start hs_<code>`.
 */
export const dossierFlow: Flow = {
  name: 'dossier',
  commands: ['/dossier', '/hoso', 'tra cuu ho so', 'tra cuu', 'ho so'],
  deepLinkPrefix: 'hs',
  start: async (ctx, arg) => (arg?.trim() ? withCode(ctx, arg) : askCode(ctx)),
  handle: async (ctx, input) => {
    if (input.kind === 'action') return onAction(ctx, input.action);
    if (input.kind !== 'text') return askCode(ctx);
    const state = ctx.state?.flow === 'dossier' ? ctx.state : null;
    const code = state?.step === 'phone' && typeof state.data.code === 'string' ? state.data.code : null;
    const text = input.text.trim();
    // A code inside a sentence starts a new look-up at either step.
    const inSentence = findReceiptCode(text);
    if (inSentence && inSentence !== code) return withCode(ctx, inSentence);
    if (code && /^[\d\s.-]+$/.test(text)) return withDigits(ctx, code, text);
    // One word with a digit is taken as a code as printed (short codes included); anything else
    // ("tôi quên mã", "cảm ơn") is not a code, and goes to the assistant's understanding.
    return /^\S+$/.test(text) && /\d/.test(text) ? withCode(ctx, text) : { replies: [], state: null, pass: true };
  },
};
