import type { Intent } from '../../knowledge/aspects';
import { clip } from '../../knowledge/facts';
import { holidayDate, upcomingHolidays } from '../../knowledge/holidays';
import type { Office } from '../../vocabulary/procedure';
import type { Button, Reply } from '../../vocabulary/replies';
import type { FlowContext, FlowResult } from '../core/flow';
import { askCode, chatOf } from './dossier';
import { helpReply } from './help';
import { backToMenu, menuReply } from './menu';

/** The office's details for a text, or null when no office is configured. */
const officeFields = (office: Office | null) =>
  office ? { office: office.name, address: office.address, phone: office.phone, hours: office.openingHours } : null;

/** A text that names the office, or its variant for a deployment with no office configured. */
async function aboutOffice(ctx: FlowContext, key: string, fallback: string): Promise<Reply> {
  const fields = officeFields(await ctx.services.procedures.office());
  return { text: fields ? ctx.t(key, fields) : ctx.t(fallback), buttons: [backToMenu(ctx)] };
}

/** How many of the office's next days off the "do you work on Saturday / on the holiday" answer names. */
const HOLIDAYS_NAMED = 3;

/** The opening hours, and the office's next days off when an admin has entered them. */
async function weekend(ctx: FlowContext): Promise<Reply> {
  const office = await ctx.services.procedures.office();
  const fields = officeFields(office);
  if (!office || !fields) return { text: ctx.t('talk.noOffice'), buttons: [backToMenu(ctx)] };
  const next = upcomingHolidays(office.holidays, ctx.now, HOLIDAYS_NAMED);
  const days = next.map((h) => ctx.t('talk.holiday', { date: holidayDate(h.date), name: h.name })).join('; ');
  const text = [ctx.t('talk.weekend', fields), ...(next.length ? [ctx.t('talk.holidaysNext', { days })] : [])].join('\n');
  return { text, buttons: [backToMenu(ctx)] };
}

/** "I lost my receipt code": a chat that proved its phone sees its own dossiers, everyone else the office phone. */
async function lostCode(ctx: FlowContext): Promise<FlowResult> {
  const own = await ctx.services.dossiers.mine(chatOf(ctx));
  if (own.length === 0) return { replies: [await aboutOffice(ctx, 'talk.lostCode', 'talk.lostCodeNoOffice')] };
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
      return { replies: [await aboutOffice(ctx, 'talk.complaint', 'talk.complaintNoOffice')] };
    case 'human':
      return { replies: [await aboutOffice(ctx, 'talk.human', 'talk.humanNoOffice')] };
    case 'rate':
      return { replies: [await aboutOffice(ctx, 'talk.rate', 'talk.rateNoOffice')] };
    case 'hours':
    case 'address':
    case 'phone':
      return { replies: [await aboutOffice(ctx, `talk.${intent}`, 'talk.noOffice')] };
    case 'weekend':
      return { replies: [await weekend(ctx)] };
  }
}
