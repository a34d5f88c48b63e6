import type { Intent } from '../../knowledge/aspects';
import { clip } from '../../knowledge/facts';
import { holidayDate, upcomingHolidays } from '../../knowledge/holidays';
import type { Office } from '../../vocabulary/procedure';
import type { Button } from '../../vocabulary/replies';
import type { FlowContext, FlowResult } from '../core/flow';
import { askCode, chatOf } from './dossier';
import { helpReply } from './help';
import { backToMenu, menuReply } from './menu';
import { askPlace } from './place';

/** The office's details for a text. */
const officeFields = (office: Office) => ({ office: office.name, address: office.address, phone: office.phone, hours: office.openingHours });

/**
 * A text that names the chat's office. Without one: the variant that names none (`fallback`), and,
 * where several offices could be meant, the question of the citizen's commune/ward, to answer
 * `intent` again once they say it (place.ts). `fallback: null` asks the question alone.
 */
async function aboutOffice(ctx: FlowContext, key: string, fallback: string | null, intent: Intent): Promise<FlowResult> {
  const where = await ctx.services.offices.officeFor(ctx.identity);
  if (where.kind === 'known') return { replies: [{ text: ctx.t(key, officeFields(where.office)), buttons: [backToMenu(ctx)] }] };
  if (where.kind === 'ask') return askPlace(ctx, where, `ask:i:${intent}`, fallback === null ? undefined : ctx.t(fallback));
  return { replies: [{ text: ctx.t(fallback ?? 'talk.noOffice'), buttons: [backToMenu(ctx)] }] };
}

/** How many of the office's next days off the "do you work on Saturday / on the holiday" answer names. */
const HOLIDAYS_NAMED = 3;

/** The opening hours, and the office's next days off when an admin has entered them. */
async function weekend(ctx: FlowContext): Promise<FlowResult> {
  const where = await ctx.services.offices.officeFor(ctx.identity);
  if (where.kind !== 'known') return aboutOffice(ctx, 'talk.weekend', null, 'weekend');
  const office = where.office;
  const next = upcomingHolidays(office.holidays, ctx.now, HOLIDAYS_NAMED);
  const days = next.map((h) => ctx.t('talk.holiday', { date: holidayDate(h.date), name: h.name })).join('; ');
  const text = [ctx.t('talk.weekend', officeFields(office)), ...(next.length ? [ctx.t('talk.holidaysNext', { days })] : [])].join('\n');
  return { replies: [{ text, buttons: [backToMenu(ctx)] }] };
}

/** How to rate the service: it needs no office, so the question of the commune/ward is not asked for it. */
async function rate(ctx: FlowContext): Promise<FlowResult> {
  const where = await ctx.services.offices.officeFor(ctx.identity);
  const text = where.kind === 'known' ? ctx.t('talk.rate', officeFields(where.office)) : ctx.t('talk.rateNoOffice');
  return { replies: [{ text, buttons: [backToMenu(ctx)] }] };
}

/** "I lost my receipt code": a chat that proved its phone sees its own dossiers, everyone else the office phone. */
async function lostCode(ctx: FlowContext): Promise<FlowResult> {
  const own = await ctx.services.dossiers.mine(chatOf(ctx));
  if (own.length === 0) return aboutOffice(ctx, 'talk.lostCode', 'talk.lostCodeNoOffice', 'lost_code');
  const buttons: Button[][] = own.map((d) => [
    { label: clip(ctx.t('talk.ownDossierLine', { code: d.receiptCode, procedure: d.procedure }), 60), action: `dossier:view:${d.id}` },
  ]);
  return { replies: [{ text: ctx.t('talk.ownDossiers'), buttons: [...buttons, backToMenu(ctx)] }] };
}

/**
 * The answer to everyday talk (knowledge/aspects.ts INTENTS). The topic of the conversation is
 * kept (`state` left as it is), so "cảm ơn" and then "phí bao nhiêu?" is still about the
 * procedure just shown. Nothing the citizen wrote is quoted back, and none of it is kept.
 */
export async function talkReply(ctx: FlowContext, intent: Intent): Promise<FlowResult> {
  const plain = (key: string): FlowResult => ({ replies: [{ text: ctx.t(key), buttons: [backToMenu(ctx)] }] });
  switch (intent) {
    case 'greeting':
      return { replies: [menuReply(ctx, true)] };
    case 'capabilities':
      return { replies: [helpReply(ctx)] };
    case 'dossier_lookup':
      return askCode(ctx);
    case 'lost_code':
      return lostCode(ctx);
    case 'thanks':
    case 'goodbye':
    case 'acknowledge':
    case 'praise':
    case 'insult':
      return plain(`talk.${intent}`);
    case 'complaint':
      return aboutOffice(ctx, 'talk.complaint', 'talk.complaintNoOffice', intent);
    case 'human':
      return aboutOffice(ctx, 'talk.human', 'talk.humanNoOffice', intent);
    case 'rate':
      return rate(ctx);
    case 'hours':
    case 'address':
    case 'phone':
      return aboutOffice(ctx, `talk.${intent}`, null, intent);
    case 'weekend':
      return weekend(ctx);
  }
}
