import type { Aspect } from '../../knowledge/aspects';
import { acceptsOnline, clip, type DocumentLine, documentsToBring, type Fact, feeFact, perProcedure, timeFact } from '../../knowledge/facts';
import { nextSameDay } from '../../knowledge/same-day';
import { formatLocalDate, localParts } from '../../lib/vn-time';
import type { ChannelName } from '../../vocabulary/channels';
import type { Office, Procedure } from '../../vocabulary/procedure';
import type { Button, Reply } from '../../vocabulary/replies';
import type { FlowContext } from '../core/flow';
import { backToMenu } from './menu';

/** The longest message each channel takes (Telegram 4096; Zalo OA text 2000). */
const TEXT_LIMIT: Record<ChannelName, number> = { telegram: 4096, zalo: 2000, web: 4096, cli: 4096 };
/** Room kept for the title and the adapter's formatting. */
const HEADROOM = 200;
const CARD_DOCUMENTS = 4;
const PAGE_DOCUMENTS = 12;

const limitOf = (ctx: FlowContext) => TEXT_LIMIT[ctx.identity.channel] - HEADROOM;

const titles = perProcedure((p) => ({ vi: clip(p.name, 250), en: clip(p.nameEn || p.name, 250), share: encodeURIComponent(clip(p.name, 200)) }));

/** The title in the chat's language: our English name where we have one. */
const titleOf = (ctx: FlowContext, p: Procedure) => titles(p)[ctx.locale === 'en' ? 'en' : 'vi'];

/** Units and "free" read in English for English chats; the rest of the source stays as written. */
function localize(ctx: FlowContext, text: string): string {
  if (ctx.locale !== 'en') return text;
  return text
    .replace(/Miễn phí/g, ctx.t('ask.free'))
    .replace(/Ngày làm việc/g, 'working days')
    .replace(/\bNgày\b/g, 'days')
    .replace(/\bGiờ\b/g, 'hours')
    .replace(/Việt Nam Đồng|VNĐ/g, 'VND');
}

function factText(ctx: FlowContext, fact: Fact, max: number): string {
  if (fact.kind === 'ask_office') return ctx.t('ask.askOffice');
  if (fact.kind === 'unit_missing') return ctx.t('ask.unitMissing', { raw: fact.raw });
  return clip(localize(ctx, fact.lines.slice(0, max).join('; ')), 400);
}

function documentLine(d: DocumentLine, max: number): string {
  return `• ${clip(d.text, max)}${d.quantity ? ` (${d.quantity})` : ''}`;
}

/** The same-day line for the procedure's group at the office, if the office has such a day. */
export function sameDayLine(ctx: FlowContext, p: Procedure, office: Office | null): string | null {
  const day = office ? nextSameDay(office.sameDay, p.group, ctx.now) : null;
  if (!day) return null;
  if (day.today) return ctx.t('ask.sameDayToday', { label: day.label, cutoff: day.cutoff });
  const weekday = ctx.t(`ask.weekday${localParts(day.date).weekday}`);
  return ctx.t('ask.sameDayNext', { label: day.label, cutoff: day.cutoff, weekday, date: formatLocalDate(day.date) });
}

function cardButtons(ctx: FlowContext, p: Procedure, link: string): Button[][] {
  const { t } = ctx;
  const online: Button[] = p.onlineUrl ? [{ label: acceptsOnline(p) ? t('ask.btnOnline') : t('ask.btnPortal'), url: p.onlineUrl }] : [];
  const shareUrl = ctx.identity.channel === 'telegram' ? `https://t.me/share/url?url=${encodeURIComponent(link)}&text=${titles(p).share}` : link;
  return [
    [
      { label: t('ask.btnDocuments'), action: `ask:d:${p.code}:1` },
      { label: t('ask.btnFeeTime'), action: `ask:f:${p.code}` },
    ],
    [{ label: t('ask.btnWhere'), action: `ask:w:${p.code}` }, ...online],
    [{ label: t('ask.btnShare'), url: shareUrl }, ...backToMenu(ctx)],
  ];
}

/** Keeps a reply within the channel's limit (a last guard; the parts are sized to fit already). */
function fitChannel(ctx: FlowContext, text: string): string {
  const max = limitOf(ctx);
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const line = cut.lastIndexOf('\n');
  return `${line > max * 0.8 ? cut.slice(0, line) : cut}…`;
}

/** Forms first, papers needed only in some cases last: the card shows the first few. */
const priority = (d: DocumentLine) => (/^(tờ khai|đơn|mẫu)/i.test(d.text) ? 0 : /^(trường hợp|văn bản ủy quyền|đối với|nếu)/i.test(d.text) ? 2 : 1);

/** The papers as the card lists them: forms first, each line cut to fit. */
const cardDocumentLines = perProcedure((p) =>
  documentsToBring(p)
    .map((d, i) => ({ d, i }))
    .sort((a, b) => priority(a.d) - priority(b.d) || a.i - b.i)
    .map(({ d }) => documentLine(d, 180)),
);

/**
 * The answer card: what to bring (the first few papers), fee, time, where, online, the same-day
 * note, and buttons for the details. Values the source does not state read "ask the office".
 */
export function procedureCard(ctx: FlowContext, p: Procedure, office: Office | null, link: string): Reply {
  const { t } = ctx;
  const parts: string[] = [t('ask.codeLine', { code: p.code, field: p.field || p.group })];
  if (ctx.locale === 'en' && p.nameEn) parts.push(t('ask.nameVi', { name: clip(p.name, 300) }));
  if (p.codeStatus === 'secondary_unverified') parts.push(t('ask.unverified'));

  const docs = cardDocumentLines(p);
  if (docs.length) {
    const shown = docs.slice(0, CARD_DOCUMENTS);
    if (docs.length > CARD_DOCUMENTS) shown.push(t('ask.bringMore', { count: docs.length - CARD_DOCUMENTS }));
    parts.push([t('ask.bringTitle'), ...shown].join('\n'));
  } else if (p.documentsStatus === 'raw_text_only' && p.documentsRaw) {
    parts.push(`${t('ask.documentsRaw')}\n${clip(p.documentsRaw, 400)}`);
  } else parts.push(t('ask.documentsAsk'));

  parts.push(`${t('ask.fee', { fee: factText(ctx, feeFact(p), 3) })}\n${t('ask.time', { time: factText(ctx, timeFact(p), 3) })}`);
  parts.push(office ? t('ask.where', { name: office.name, address: office.address, hours: office.openingHours, phone: office.phone }) : t('ask.whereNone'));
  parts.push(acceptsOnline(p) && p.onlineUrl ? t('ask.online') : t('ask.onlineNo'));
  const sameDay = sameDayLine(ctx, p, office);
  if (sameDay) parts.push(sameDay);
  return { title: titleOf(ctx, p), text: fitChannel(ctx, parts.join('\n\n')), buttons: cardButtons(ctx, p, link) };
}

/** Splits the papers into pages that fit the channel, at most PAGE_DOCUMENTS each. */
export function documentPages(ctx: FlowContext, p: Procedure): string[][] {
  const budget = limitOf(ctx) - 400;
  const lines = documentsToBring(p).map((d) => documentLine(d, 600));
  const pages: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const line of lines) {
    if (current.length && (size + line.length + 1 > budget || current.length >= PAGE_DOCUMENTS)) {
      pages.push(current);
      current = [];
      size = 0;
    }
    current.push(line);
    size += line.length + 1;
  }
  if (current.length) pages.push(current);
  return pages;
}

/** One page of the papers to bring, with previous/next buttons. */
export function documentsReply(ctx: FlowContext, p: Procedure, page: number): Reply {
  const { t } = ctx;
  const pages = documentPages(ctx, p);
  const back = { label: t('ask.btnCard'), action: `ask:c:${p.code}` };
  if (pages.length === 0) {
    const text = p.documentsStatus === 'raw_text_only' && p.documentsRaw ? `${t('ask.documentsRaw')}\n${p.documentsRaw}` : t('ask.documentsAsk');
    return { title: titleOf(ctx, p), text: fitChannel(ctx, text), buttons: [[back], backToMenu(ctx)] };
  }
  const index = Math.min(Math.max(page, 1), pages.length);
  const nav: Button[] = [];
  if (index > 1) nav.push({ label: t('ask.btnPrev'), action: `ask:d:${p.code}:${index - 1}` });
  if (index < pages.length) nav.push({ label: t('ask.btnNext'), action: `ask:d:${p.code}:${index + 1}` });
  const heading = t('ask.documentsTitle', { page: index, pages: pages.length });
  const body = [heading, ...(pages[index - 1] ?? [])];
  if (index === pages.length) body.push('', t('ask.documentsFooter'));
  return { title: titleOf(ctx, p), text: fitChannel(ctx, body.join('\n')), buttons: [...(nav.length ? [nav] : []), [back], backToMenu(ctx)] };
}

/** Fee (with its notes) and processing time, per channel where they differ. */
export function feeTimeReply(ctx: FlowContext, p: Procedure): Reply {
  const { t } = ctx;
  const fee = feeFact(p);
  const parts = [t('ask.feeTimeTitle'), t('ask.fee', { fee: factText(ctx, fee, 10) })];
  if (fee.kind === 'known' && fee.notes?.length) parts.push(t('ask.feeNotes', { notes: fee.notes.slice(0, 4).join(' ') }));
  parts.push(t('ask.time', { time: factText(ctx, timeFact(p), 10) }));
  if (p.source.scrapedAt) parts.push(t('ask.source', { date: p.source.scrapedAt }));
  return {
    title: titleOf(ctx, p),
    text: fitChannel(ctx, parts.join('\n\n')),
    buttons: [[{ label: t('ask.btnCard'), action: `ask:c:${p.code}` }], backToMenu(ctx)],
  };
}

/** The office, its hours, the agency that decides, and the same-day note. */
export function whereReply(ctx: FlowContext, p: Procedure, office: Office | null): Reply {
  const { t } = ctx;
  const parts = [
    t('ask.whereTitle'),
    office ? t('ask.where', { name: office.name, address: office.address, hours: office.openingHours, phone: office.phone }) : t('ask.whereNone'),
  ];
  if (p.agency) parts.push(t('ask.agency', { agency: clip(p.agency, 300) }));
  const sameDay = sameDayLine(ctx, p, office);
  if (sameDay) parts.push(sameDay);
  parts.push(acceptsOnline(p) && p.onlineUrl ? t('ask.online') : t('ask.onlineNo'));
  const online: Button[] = p.onlineUrl ? [{ label: acceptsOnline(p) ? t('ask.btnOnline') : t('ask.btnPortal'), url: p.onlineUrl }] : [];
  return {
    title: titleOf(ctx, p),
    text: fitChannel(ctx, parts.join('\n\n')),
    buttons: [[{ label: t('ask.btnCard'), action: `ask:c:${p.code}` }, ...online], backToMenu(ctx)],
  };
}

/** One section of the card: the part of the procedure a follow-up asked about. */
export function aspectReply(ctx: FlowContext, p: Procedure, office: Office | null, _link: string, aspect: Aspect, page = 1): Reply {
  switch (aspect) {
    case 'fee':
    case 'time':
      return feeTimeReply(ctx, p);
    case 'papers':
    case 'forms':
      return documentsReply(ctx, p, page);
    default:
      return whereReply(ctx, p, office);
  }
}
