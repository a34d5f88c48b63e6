import { type Context, Hono } from 'hono';
import QRCode from 'qrcode';
import { feeSummary, timeSummary } from '../../bot/flows/fact-text';
import type { Catalog, StoredOffice } from '../../domain/catalog/store';
import { apiError } from '../../http/errors';
import { clip, documentsToBring, resultWithinADay } from '../../knowledge/facts';
import type { Locale, Translate } from '../../vocabulary/locales';
import { OFFICE_CODE, PROCEDURE_CODE, type Procedure } from '../../vocabulary/procedure';

const POSTER_DOCUMENTS = 12;
const QR_FILE = /^(.+)\.(svg|png)$/;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The printable A4 page for the counter: name, papers, fee and time, same-day days, QR code. */
async function posterHtml(t: Translate, p: Procedure, office: StoredOffice | null, link: string): Promise<string> {
  const qr = await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  const docs = documentsToBring(p);
  const items = docs
    .slice(0, POSTER_DOCUMENTS)
    .map((d) => `<li>${escapeHtml(clip(d.text, 260))}${d.quantity ? ` <span class="q">(${escapeHtml(d.quantity)})</span>` : ''}</li>`);
  if (docs.length > POSTER_DOCUMENTS) items.push(`<li class="more">${escapeHtml(t('ask.posterMore', { count: docs.length - POSTER_DOCUMENTS }))}</li>`);
  const papers = items.length
    ? `<ul>${items.join('')}</ul>`
    : `<p>${escapeHtml(t(p.documentsStatus === 'raw_text_only' ? 'ask.documentsRaw' : 'ask.documentsAsk'))}</p>`;
  // Same-day days only where a same-day result is possible (knowledge/same-day.ts).
  const sameDay = (resultWithinADay(p) ? (office?.sameDay ?? []) : [])
    .filter((rule) => rule.groups.includes(p.group))
    .map(
      (rule) =>
        `<p class="sameday">${escapeHtml(t('ask.sameDayWeekly', { weekday: t(`ask.weekday${rule.weekday}`), label: rule.label, cutoff: rule.cutoff }))}</p>`,
    )
    .join('');
  const where = office ? t('ask.where', { name: office.name, address: office.address, hours: office.openingHours, phone: office.phone }) : t('ask.whereNone');
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(clip(p.name, 120))}</title>
<style>
@page { size: A4; margin: 14mm; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Roboto, Arial, sans-serif; color: #111; max-width: 190mm; margin: 0 auto; font-size: 12.5pt; line-height: 1.4; }
header { border-bottom: 3px solid #b71c1c; margin-bottom: 4mm; }
.kicker { color: #b71c1c; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; font-size: 10pt; }
h1 { font-size: 20pt; margin: 1mm 0 2mm; }
.official { font-size: 10.5pt; color: #444; margin: 0 0 2mm; }
h2 { font-size: 13.5pt; margin: 4mm 0 1mm; }
.layout { display: grid; grid-template-columns: 1fr 62mm; gap: 6mm; }
.qr svg { width: 60mm; height: 60mm; }
.qr p { font-size: 10pt; text-align: center; margin-top: 1mm; }
ul { margin: 0; padding-left: 5mm; } li { margin: 0 0 1.2mm; } .q, .more { color: #444; }
.sameday { background: #e8f5e9; border-left: 4px solid #2e7d32; padding: 2mm 3mm; }
footer { margin-top: 5mm; font-size: 9pt; color: #555; border-top: 1px solid #ccc; padding-top: 2mm; }
@media print { .noprint { display: none; } body { max-width: none; } }
</style></head><body>
<header><div class="kicker">${escapeHtml(t('ask.posterTitle'))} · ${escapeHtml(p.code)}</div><h1>${escapeHtml(p.shortName ?? p.name)}</h1>${p.shortName ? `<p class="official">${escapeHtml(t('ask.fullName', { name: p.name }))}</p>` : ''}</header>
<div class="layout"><main>
<h2>${escapeHtml(t('ask.section_papers'))}</h2>${papers}
<h2>${escapeHtml(t('ask.fee', { fee: feeSummary(t, 'vi', p) }))}</h2>
<h2>${escapeHtml(t('ask.time', { time: timeSummary(t, 'vi', p) }))}</h2>
${sameDay}
<p>${escapeHtml(where).replace(/\n/g, '<br>')}</p>
</main><aside class="qr">${qr}<p>${escapeHtml(t('ask.posterScan'))}</p></aside></div>
<footer>${escapeHtml(t('ask.source', { date: p.source.scrapedAt ?? '' }))}</footer>
</body></html>`;
}

/** A QR code of `link` as an SVG or PNG answer. */
async function qrAnswer(c: Context, link: string, format: string | undefined): Promise<Response> {
  c.header('cache-control', 'public, max-age=300');
  if (format === 'svg') {
    return c.body(await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }), 200, {
      'content-type': 'image/svg+xml; charset=utf-8',
    });
  }
  const png = await QRCode.toBuffer(link, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 512 });
  return c.body(new Uint8Array(png), 200, { 'content-type': 'image/png' });
}

/**
 * QR codes (`/qr/procedures/<code>.svg|.png`) that open a procedure's card, and the printable
 * poster (`/posters/<code>`) for the counter. Public: they show only catalog data.
 *
 * A poster for one office's counter names it: `?office=<office code>` puts that office's address,
 * hours and same-day days on the poster and its code in the QR link, so a chat opened from it is
 * served by that office. `/qr/offices/<office code>.svg|.png` is the office's own QR code (chat
 * with this office). Without an office, a deployment of one office prints that one, and a
 * province prints the commune-level wording and office-free links (the chat asks the commune).
 */
export function createPosterRoutes(deps: { catalog: Catalog; translator: (locale: Locale) => Translate }) {
  const routes = new Hono();
  const vi = deps.translator('vi');

  /** The office a poster is for: `?office=`, else the only office; `unknown` for a code no office has. */
  async function posterOffice(c: Context): Promise<{ office: StoredOffice | null; named: boolean } | 'unknown'> {
    const code = c.req.query('office');
    if (code === undefined || code === '') return { office: await deps.catalog.office(), named: false };
    const office = OFFICE_CODE.test(code) ? ((await deps.catalog.offices()).byCode.get(code) ?? null) : null;
    return office ? { office, named: true } : 'unknown';
  }

  routes.get('/qr/procedures/:file', async (c) => {
    const [, code = '', format] = QR_FILE.exec(c.req.param('file')) ?? [];
    const procedure = PROCEDURE_CODE.test(code) ? await deps.catalog.get(code) : null;
    if (!procedure) return apiError(c, 404, 'not_found', 'No procedure with this code (use /qr/procedures/<code>.svg or .png).');
    const where = await posterOffice(c);
    if (where === 'unknown') return apiError(c, 404, 'not_found', 'No office with this code (office: an office code such as phuong-ben-nghe).');
    return qrAnswer(c, deps.catalog.link(procedure.code, where.named && where.office ? where.office : undefined), format);
  });

  routes.get('/qr/offices/:file', async (c) => {
    const [, code = '', format] = QR_FILE.exec(c.req.param('file')) ?? [];
    const office = OFFICE_CODE.test(code) ? (await deps.catalog.offices()).byCode.get(code) : undefined;
    if (!office) return apiError(c, 404, 'not_found', 'No office with this code (use /qr/offices/<office code>.svg or .png).');
    return qrAnswer(c, deps.catalog.officeLink(office), format);
  });

  routes.get('/posters/:code', async (c) => {
    const code = c.req.param('code');
    const procedure = PROCEDURE_CODE.test(code) ? await deps.catalog.get(code) : null;
    if (!procedure) {
      return c.html(
        `<!doctype html><html lang="vi"><meta charset="utf-8"><title>404</title><body><p>${escapeHtml(vi('ask.posterNotFound'))}</p></body></html>`,
        404,
      );
    }
    const where = await posterOffice(c);
    if (where === 'unknown') {
      return c.html(
        `<!doctype html><html lang="vi"><meta charset="utf-8"><title>404</title><body><p>${escapeHtml(vi('ask.posterOfficeNotFound'))}</p></body></html>`,
        404,
      );
    }
    const link = deps.catalog.link(procedure.code, where.named && where.office ? where.office : undefined);
    const html = await posterHtml(vi, procedure, where.office, link);
    return c.html(html, 200, { 'cache-control': 'public, max-age=300' });
  });

  return routes;
}
