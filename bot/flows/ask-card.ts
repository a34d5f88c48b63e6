import type { ChatOffice } from '../../domain/catalog/chat-office';
import type { Aspect } from '../../knowledge/aspects';
import { acceptsOnline, clip, type DocumentLine, formsToFill, paperLines, perProcedure, whoMayApply } from '../../knowledge/facts';
import { sameDayFor } from '../../knowledge/same-day';
import { formatLocalDate, localParts } from '../../lib/vn-time';
import type { ChannelName } from '../../vocabulary/channels';
import type { Office, Procedure } from '../../vocabulary/procedure';
import { SHORT_NAME_MAX } from '../../vocabulary/procedure';
import type { Button, Reply } from '../../vocabulary/replies';
import type { FlowContext } from '../core/flow';
import { feeDetails, feeSummary, timeDetails, timeSummary } from './fact-text';
import { backToMenu } from './menu';
import { areaButtons } from './place';

/** The longest message each channel takes (Telegram 4096; Zalo OA text 2000). */
const TEXT_LIMIT: Record<ChannelName, number> = { telegram: 4096, zalo: 2000, web: 4096, cli: 4096 };
/** Room kept for the title and the adapter's formatting. */
const HEADROOM = 200;
const PAGE_DOCUMENTS = 10;
/** Notes are kept but secondary: cut shorter than papers. */
const NOTE_MAX = 220;

const limitOf = (ctx: FlowContext) => TEXT_LIMIT[ctx.identity.channel] - HEADROOM;

/**
 * The letter of each section in button actions (`ask:<letter>:<code>[:page]`); `c` is the first
 * screen. Old buttons still in chats keep working: `d` papers, `f` fee, `w` where.
 */
export const ASPECT_LETTERS: Record<Aspect, string> = { fee: 'f', time: 't', papers: 'd', where: 'w', online: 'o', forms: 'm', who: 'a' };

/** The section a button letter opens, if any. */
export const aspectOfLetter = (letter: string | undefined): Aspect | null =>
  (Object.keys(ASPECT_LETTERS) as Aspect[]).find((aspect) => ASPECT_LETTERS[aspect] === letter) ?? null;

/** The order of the section buttons. */
const SECTION_ORDER: readonly Aspect[] = ['papers', 'fee', 'time', 'where', 'forms', 'who', 'online'];

/** "Thủ tục đăng ký khai sinh" -> "Đăng ký khai sinh": a title starts with a capital. */
const withoutPrefix = (name: string) => {
  const bare = name.replace(/^Thủ tục /, '');
  return bare.charAt(0).toLocaleUpperCase('vi') + bare.slice(1);
};

const titles = perProcedure((p) => {
  const vi = p.shortName ?? clip(withoutPrefix(p.name), SHORT_NAME_MAX);
  return { vi, en: p.nameEn ?? vi, share: encodeURIComponent(vi) };
});

/**
 * The short title in the chat's language: the plain name citizens use (our English one in
 * English), on the card and on every button that names a procedure.
 */
export const titleOf = (ctx: FlowContext, p: Procedure) => titles(p)[ctx.locale === 'en' ? 'en' : 'vi'];

/** The same-day line for the procedure at the office: only where a same-day result is possible. */
export function sameDayLine(ctx: FlowContext, p: Procedure, office: Office | null): string | null {
  const day = office ? sameDayFor(office.sameDay, p, ctx.now) : null;
  if (!day) return null;
  if (day.today) return ctx.t('ask.sameDayToday', { label: day.label, cutoff: day.cutoff });
  const weekday = ctx.t(`ask.weekday${localParts(day.date).weekday}`);
  return ctx.t('ask.sameDayNext', { label: day.label, cutoff: day.cutoff, weekday, date: formatLocalDate(day.date) });
}

/** Keeps a reply within the channel's limit (a last guard; the parts are sized to fit already). */
function fitChannel(ctx: FlowContext, text: string): string {
  const max = limitOf(ctx);
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const line = cut.lastIndexOf('\n');
  return `${line > max * 0.8 ? cut.slice(0, line) : cut}…`;
}

const onlineButton = (ctx: FlowContext, p: Procedure): Button[] =>
  p.onlineUrl ? [{ label: acceptsOnline(p) ? ctx.t('ask.btnOnline') : ctx.t('ask.btnPortal'), url: p.onlineUrl }] : [];

/** The action that opens one section of a procedure (the papers at their first page). */
export const sectionAction = (code: string, aspect: Aspect) => `ask:${ASPECT_LETTERS[aspect]}:${code}${aspect === 'papers' ? ':1' : ''}`;

const sectionButton = (ctx: FlowContext, p: Procedure, aspect: Aspect): Button => ({
  label: ctx.t(`ask.btn_${aspect}`),
  action: sectionAction(p.code, aspect),
});

const rowsOf = (buttons: Button[], size: number): Button[][] => {
  const rows: Button[][] = [];
  for (let i = 0; i < buttons.length; i += size) rows.push(buttons.slice(i, i + size));
  return rows;
};

/** The official name where the title is our short one. */
const officialName = (ctx: FlowContext, p: Procedure): string | null =>
  titleOf(ctx, p) === p.name ? null : ctx.t('ask.fullName', { name: clip(p.name, 300) });

/**
 * The first screen: short title, code, fee, time, where (office and one line), online yes or no,
 * the same-day day where one applies; every detail sits behind a button. Sized for one phone
 * screen on every channel (tests/unit/ask-card.test.ts checks every procedure).
 */
export function procedureCard(ctx: FlowContext, p: Procedure, where: ChatOffice, link: string): Reply {
  const { t } = ctx;
  const office = where.kind === 'known' ? where.office : null;
  const lines: string[] = [t('ask.codeLine', { code: p.code, field: clip(p.field || p.group, 40) })];
  if (p.codeStatus === 'secondary_unverified') lines.push(t('ask.unverified'));
  lines.push(t('ask.fee', { fee: clip(feeSummary(t, ctx.locale, p), 170) }));
  lines.push(t('ask.time', { time: clip(timeSummary(t, ctx.locale, p), 150) }));
  lines.push(
    office
      ? t('ask.whereShort', { name: clip(office.name, 90), address: clip(office.address, 90), phone: clip(office.phone, 20) })
      : t(where.kind === 'ask' ? 'ask.whereAsk' : 'ask.whereNone'),
  );
  lines.push(acceptsOnline(p) && p.onlineUrl ? t('ask.onlineYes') : t('ask.onlineNo'));
  const sameDay = sameDayLine(ctx, p, office);
  if (sameDay) lines.push(sameDay);
  const shareUrl = ctx.identity.channel === 'telegram' ? `https://t.me/share/url?url=${encodeURIComponent(link)}&text=${titles(p).share}` : link;
  const sections = SECTION_ORDER.filter((a) => a !== 'online').map((a) => sectionButton(ctx, p, a));
  return {
    title: titleOf(ctx, p),
    text: fitChannel(ctx, lines.join('\n')),
    buttons: [...rowsOf(sections, 3), [...onlineButton(ctx, p), { label: t('ask.btnShare'), url: shareUrl }, ...backToMenu(ctx)]],
  };
}

/** Buttons under a section: the other sections, then back to the first screen and the menu. */
function sectionButtons(ctx: FlowContext, p: Procedure, aspect: Aspect, extra: Button[] = []): Button[][] {
  const others = SECTION_ORDER.filter((a) => a !== aspect).map((a) => sectionButton(ctx, p, a));
  return [...rowsOf(others, 3), [{ label: ctx.t('ask.btnCard'), action: `ask:c:${p.code}` }, ...extra, ...backToMenu(ctx)]];
}

function section(ctx: FlowContext, p: Procedure, aspect: Aspect, body: string[], extra: Button[] = [], heading = ctx.t(`ask.section_${aspect}`)): Reply {
  return { title: titleOf(ctx, p), text: fitChannel(ctx, [heading, ...body].join('\n\n')), buttons: sectionButtons(ctx, p, aspect, extra) };
}

const paperText = (d: DocumentLine, max: number, t: FlowContext['t']) =>
  d.note ? t('ask.noteLine', { text: clip(d.text, NOTE_MAX) }) : `• ${clip(d.text, max)}${d.quantity ? ` (${d.quantity})` : ''}`;

/**
 * The papers in the source's order, split into pages that fit the channel: a heading where the
 * source's group changes ("Giấy tờ phải nộp", "Lưu ý"), notes kept but marked as notes.
 */
export function documentPages(ctx: FlowContext, p: Procedure): string[][] {
  // The pages depend only on the procedure, the channel's limit and the language: made once.
  const cache = pageCache(p);
  const key = `${ctx.identity.channel}:${ctx.locale}`;
  const made = cache.get(key);
  if (made) return made;
  const pages = splitPages(ctx, p);
  cache.set(key, pages);
  return pages;
}

const pageCache = perProcedure((): Map<string, string[][]> => new Map());

function splitPages(ctx: FlowContext, p: Procedure): string[][] {
  const budget = limitOf(ctx) - 500;
  const pages: string[][] = [];
  let current: string[] = [];
  let size = 0;
  let group = '';
  let count = 0;
  for (const d of paperLines(p)) {
    const lines: string[] = [];
    if (d.group && d.group !== group) lines.push(`${d.group}:`);
    group = d.group || group;
    lines.push(paperText(d, 500, ctx.t));
    const length = lines.join('\n').length + 1;
    if (current.length && (size + length > budget || count >= PAGE_DOCUMENTS)) {
      pages.push(current);
      current = d.group && !lines[0]?.endsWith(':') ? [`${d.group}:`] : [];
      size = 0;
      count = 0;
    }
    current.push(...lines);
    size += length;
    count += 1;
  }
  if (current.length) pages.push(current);
  return pages;
}

function papersReply(ctx: FlowContext, p: Procedure, page: number): Reply {
  const { t } = ctx;
  const pages = documentPages(ctx, p);
  if (pages.length === 0) {
    const body = p.documentsStatus === 'raw_text_only' && p.documentsRaw ? [t('ask.documentsRaw'), clip(p.documentsRaw, 1200)] : [t('ask.documentsAsk')];
    return section(ctx, p, 'papers', body, [], `${t('ask.section_papers')} (1/1)`);
  }
  const index = Math.min(Math.max(page, 1), pages.length);
  const nav: Button[] = [];
  if (index > 1) nav.push({ label: t('ask.btnPrev'), action: `ask:d:${p.code}:${index - 1}` });
  if (index < pages.length) nav.push({ label: t('ask.btnNext'), action: `ask:d:${p.code}:${index + 1}` });
  const body: string[] = [];
  const name = officialName(ctx, p);
  if (index === 1) body.push(...(name ? [name] : []), t('ask.papersOrder'));
  body.push((pages[index - 1] ?? []).join('\n'));
  if (index === pages.length) body.push(t('ask.documentsFooter'));
  const reply = section(ctx, p, 'papers', body, [], `${t('ask.section_papers')} (${index}/${pages.length})`);
  return { ...reply, buttons: [...(nav.length ? [nav] : []), ...(reply.buttons ?? [])] };
}

function whereBody(ctx: FlowContext, p: Procedure, where: ChatOffice): string[] {
  const { t } = ctx;
  const office = where.kind === 'known' ? where.office : null;
  const body = [office ? t('ask.where', { name: office.name, address: office.address, hours: office.openingHours, phone: office.phone }) : t('ask.whereNone')];
  if (where.kind === 'ask') body.push(t('place.ask'));
  if (p.agency) body.push(t('ask.agency', { agency: clip(p.agency, 300) }));
  const sameDay = sameDayLine(ctx, p, office);
  if (sameDay) body.push(sameDay);
  return body;
}

/**
 * One section of the card, for a button or a follow-up question ("bao nhiêu tiền?"): each starts
 * with its heading (`ask.section_<aspect>`) and offers the other sections and the first screen.
 * `page` pages the papers.
 */
export function aspectReply(ctx: FlowContext, p: Procedure, where: ChatOffice, _link: string, aspect: Aspect, page = 1): Reply {
  const { t } = ctx;
  const name = officialName(ctx, p);
  const source = p.source.scrapedAt ? [t('ask.source', { date: p.source.scrapedAt })] : [];
  switch (aspect) {
    case 'papers':
      return papersReply(ctx, p, page);
    case 'fee':
      return section(ctx, p, aspect, [...(name ? [name] : []), ...feeDetails(t, ctx.locale, p), ...source]);
    case 'time':
      return section(ctx, p, aspect, [...timeDetails(t, ctx.locale, p), ...source]);
    case 'where': {
      const reply = section(ctx, p, aspect, whereBody(ctx, p, where));
      // The communes/wards to pick from, when there are only a few (place.ts).
      const few = where.kind === 'ask' ? areaButtons(where.few) : [];
      return { ...reply, buttons: [...few, ...(reply.buttons ?? [])] };
    }
    case 'online':
      return section(ctx, p, aspect, [acceptsOnline(p) && p.onlineUrl ? t('ask.online') : t('ask.onlineNo')], onlineButton(ctx, p));
    case 'forms': {
      const forms = formsToFill(p);
      const body = forms.length ? [forms.map((f) => `• ${clip(f, 300)}`).join('\n'), t('ask.formsWhere')] : [t('ask.formsNone')];
      return section(ctx, p, aspect, body, onlineButton(ctx, p));
    }
    case 'who': {
      const who = whoMayApply(p);
      const body = [who.applicants ? t('ask.applicants', { applicants: clip(who.applicants, 500) }) : t('ask.applicantsNone')];
      if (who.authorisation.length) body.push([t('ask.authorisation'), ...who.authorisation.map((a) => `• ${clip(a, 400)}`)].join('\n'));
      return section(ctx, p, aspect, body);
    }
  }
}
