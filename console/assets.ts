import { sha256Hex } from '../lib/crypto';

/**
 * The console's stylesheet: plain and calm in the spirit of the GOV.UK Design System, readable
 * on an old PC and at phone width, with a visible focus ring. Served as a file (the
 * Content-Security-Policy allows no inline style).
 */
const CSS = `
:root { --ink: #0b0c0c; --muted: #505a5f; --line: #b1b4b6; --bg: #f3f2f1; --brand: #8e1b1b; --link: #1d4ed8; --focus: #ffdd00; --ok: #00703c; --warn: #b45309; --bad: #b10e1e; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif; color: var(--ink); background: #fff; }
a { color: var(--link); text-underline-offset: .15em; }
a:hover { color: #003078; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 0; box-shadow: 0 0 0 5px var(--ink); }
.container { max-width: 960px; margin: 0 auto; padding: 0 16px; }
.container.wide { max-width: 1200px; }
.skip-link { position: absolute; left: -9999px; top: 0; background: var(--focus); color: var(--ink); padding: 8px 12px; z-index: 10; }
.skip-link:focus { left: 8px; }
.header { background: var(--brand); color: #fff; }
.header > .container { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: center; justify-content: space-between; padding-top: 10px; padding-bottom: 10px; }
.brand { color: #fff; font-weight: 700; font-size: 1.15rem; text-decoration: none; }
.brand:hover { color: #fff; text-decoration: underline; }
.account { display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: center; font-size: .95rem; }
.account a, .account .link-button { color: #fff; }
.nav { background: #fff; border-bottom: 1px solid var(--line); }
.nav ul { list-style: none; margin: 0 auto; display: flex; flex-wrap: wrap; gap: 0 20px; }
.nav a { display: inline-block; padding: 10px 0 8px; font-weight: 600; text-decoration: none; border-bottom: 4px solid transparent; }
.nav a[aria-current="page"] { border-bottom-color: var(--brand); color: var(--ink); }
main.container { padding-top: 24px; padding-bottom: 48px; display: block; }
main:focus { outline: none; }
h1 { font-size: 1.75rem; line-height: 1.2; margin: 0 0 20px; }
h2 { font-size: 1.3rem; margin: 28px 0 12px; }
h3 { font-size: 1.1rem; margin: 20px 0 8px; }
p { margin: 0 0 16px; max-width: 42em; }
.lead { font-size: 1.15rem; }
.muted, .hint { color: var(--muted); }
.hint { margin: 0 0 6px; font-size: .95rem; }
.footer { border-top: 1px solid var(--line); background: var(--bg); padding: 16px 0; font-size: .95rem; }
.field { margin-bottom: 20px; }
.field label, .label { display: block; font-weight: 600; margin-bottom: 4px; }
.field-error { border-left: 5px solid var(--bad); padding-left: 12px; }
.error-message { color: var(--bad); font-weight: 600; margin: 0 0 6px; }
.input, select, textarea { font: inherit; width: 100%; max-width: 100%; padding: 8px; border: 2px solid var(--ink); border-radius: 0; background: #fff; color: var(--ink); }
.input-short { max-width: 12em; } .input-medium { max-width: 24em; }
.input-error { border-color: var(--bad); }
fieldset { border: 0; padding: 0; margin: 0 0 20px; }
legend { font-weight: 600; margin-bottom: 6px; }
.choice { display: flex; gap: 8px; align-items: flex-start; margin: 6px 0; }
.choice input { width: 1.4em; height: 1.4em; margin: 0; flex: none; }
.choice label { font-weight: 400; margin: 0; }
.button, button { font: inherit; font-weight: 600; display: inline-block; padding: 8px 16px; border: 2px solid transparent; border-radius: 0; background: var(--ok); color: #fff; cursor: pointer; text-decoration: none; box-shadow: 0 2px 0 #002d18; margin: 0 8px 8px 0; }
.button:hover, button:hover { filter: brightness(.92); color: #fff; }
.button.secondary, button.secondary { background: var(--bg); color: var(--ink); box-shadow: 0 2px 0 #929191; }
.button.warning, button.warning { background: var(--bad); box-shadow: 0 2px 0 #55070e; }
.link-button { background: none; border: 0; box-shadow: none; padding: 0; margin: 0; color: var(--link); text-decoration: underline; font-weight: 400; }
.link-button:hover { filter: none; }
form.inline { display: inline; margin: 0; }
.notice { border: 4px solid var(--link); padding: 12px 16px; margin-bottom: 24px; }
.notice-success { border-color: var(--ok); }
.notice-warning { border-color: var(--bad); }
.error-summary { border: 4px solid var(--bad); padding: 16px; margin-bottom: 24px; }
.error-summary h2 { margin-top: 0; }
.error-summary a { color: var(--bad); font-weight: 600; }
.badge { display: inline-block; padding: 1px 8px; font-size: .85rem; font-weight: 600; letter-spacing: .01em; border-radius: 2px; background: #e5e7eb; color: #1f2937; margin: 0 4px 4px 0; }
.badge-blue { background: #dbeafe; color: #1e3a8a; } .badge-green { background: #dcfce7; color: #14532d; }
.badge-amber { background: #fef3c7; color: #78350f; } .badge-red { background: #fee2e2; color: #7f1d1d; }
table { border-collapse: collapse; width: 100%; margin-bottom: 24px; }
th, td { text-align: left; padding: 10px 8px 10px 0; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; }
.numbers { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 16px; margin: 0 0 24px; padding: 0; list-style: none; }
.numbers li { background: var(--bg); padding: 16px; border-left: 5px solid var(--brand); }
.numbers .figure { display: block; font-size: 2.2rem; font-weight: 700; line-height: 1.1; }
.numbers a { font-weight: 600; }
.summary { margin: 0 0 24px; }
.summary div { display: flex; flex-wrap: wrap; border-bottom: 1px solid var(--line); padding: 8px 0; }
.summary dt { font-weight: 600; flex: 0 0 12em; } .summary dd { margin: 0; flex: 1 1 16em; }
.pagination { display: flex; gap: 16px; align-items: center; margin: 16px 0; }
.tabs { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 0 0 20px; padding: 0; list-style: none; border-bottom: 1px solid var(--line); }
.tabs a { display: inline-block; padding: 8px 4px; text-decoration: none; border-bottom: 4px solid transparent; }
.tabs a[aria-current="page"] { border-bottom-color: var(--brand); color: var(--ink); font-weight: 600; }
.actions { display: flex; flex-wrap: wrap; gap: 0 8px; align-items: flex-start; }
.card { border: 1px solid var(--line); padding: 16px; margin-bottom: 16px; }
.card h2, .card h3 { margin-top: 0; }
.plain { list-style: none; margin: 0; padding: 0; }
.request .badges { margin: 0 0 8px; }
.request .summary { margin-bottom: 12px; }
.request .summary div { padding: 4px 0; }
details.action { margin: 4px 0 12px; }
details.action > summary { cursor: pointer; color: var(--link); text-decoration: underline; margin-bottom: 8px; }
.paper { margin: 0 0 12px; }
.paper .copies { display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: center; margin: 4px 0 0 2.2em; font-size: .95rem; }
.paper .copies .input { max-width: 5em; padding: 4px 8px; }
.dropzone { border: 3px dashed var(--line); padding: 20px; text-align: center; }
.dropzone.over { border-color: var(--link); background: #eef4ff; }
progress { width: 100%; height: 1.2em; }
.secret code { font-size: 1.3rem; background: var(--bg); padding: 4px 8px; letter-spacing: .04em; user-select: all; }
code.wrap { word-break: break-all; font-size: .85rem; }
.inline-fields { display: flex; flex-wrap: wrap; gap: 0 16px; align-items: flex-end; }
.inline-fields .field { margin-bottom: 12px; }
.inline-fields button { margin-bottom: 12px; }
.dropzone .hint, .dropzone .error-message { margin-left: auto; margin-right: auto; }
.dropzone.field-error { border-color: var(--bad); }
.scan-thumb { display: block; max-width: 160px; max-height: 160px; border: 1px solid var(--line); background: var(--bg); }
.source-note { background: var(--bg); border-left: 4px solid var(--line); padding: 6px 10px; font-size: .95rem; }
.label-inline { font-weight: 600; }
fieldset.item { border: 1px solid var(--line); padding: 12px 16px 0; margin: 0 0 16px; }
fieldset.item > legend { padding: 0 4px; }
.checks { display: grid; grid-template-columns: repeat(auto-fill, minmax(15em, 1fr)); gap: 0 16px; }
input.check { width: 1.4em; height: 1.4em; margin: 0; }
.qr-sheet { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 16px; }
.qr-sheet li { border: 1px solid var(--line); padding: 12px; text-align: center; break-inside: avoid; display: flex; flex-direction: column; align-items: center; gap: 4px; }
.qr-sheet img { width: 160px; height: 160px; }
.filters { display: grid; grid-template-columns: minmax(16em, 2fr) repeat(2, minmax(10em, 1fr)) auto; gap: 0 16px; align-items: end; }
.filters .field { margin-bottom: 12px; } .filters button { margin-bottom: 2px; }
.links { display: flex; flex-wrap: wrap; gap: 8px 24px; margin-bottom: 16px; }
.overdue { color: var(--bad); font-weight: 600; }
.event-note { margin: 0 0 4px; } .event-list { margin: 0 0 4px; padding-left: 1.2em; }
code, textarea.code { font-family: ui-monospace, "Cascadia Mono", Consolas, monospace; font-size: .95em; }
.status-form .choice label { font-weight: 400; margin: 0; }
.conditional { margin: 4px 0 12px 1.9em; padding-left: 14px; border-left: 4px solid var(--line); }
@supports selector(:has(*)) {
  .status-form .conditional { display: none; }
  .status-form:has(#to-needs_supplement:checked) .if-needs_supplement, .status-form:has(#to-ready:checked) .if-ready, .status-form:has(#to-rejected:checked) .if-rejected { display: block; }
}
.counters { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 6px 0 0; font-size: .95rem; color: var(--muted); }
.counter.over { color: var(--bad); font-weight: 600; }
.choices.scroll { max-height: 16em; overflow-y: auto; border: 1px solid var(--line); padding: 4px 8px; }
.previews { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 16px; margin-bottom: 16px; }
.bubble { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--bg); padding: 10px 12px; border-radius: 10px; }
.bubble-buttons { list-style: none; padding: 0; margin: 8px 0 0; display: flex; flex-direction: column; gap: 4px; }
.bubble-buttons li { border: 1px solid var(--link); color: var(--link); text-align: center; padding: 4px 8px; border-radius: 6px; }
.presets ul { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 0 0 20px; padding: 0; }
.presets a[aria-current] { font-weight: 700; color: var(--ink); }
.headline .label { display: block; font-weight: 600; }
.headline .detail { display: block; color: var(--muted); font-size: .95rem; }
.chart { margin: 0 0 36px; }
.chart-svg { display: block; max-width: 100%; height: auto; }
.narrow-only { display: none; }
.chart-svg text { font-size: 13px; fill: var(--ink); }
.chart-svg text.on-bar { fill: #fff; font-weight: 600; }
.chart-svg text.total { font-weight: 600; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 20px; padding: 0; margin: 8px 0 12px; }
.legend svg { vertical-align: -2px; margin-right: 6px; }
.no-data { color: var(--muted); border-left: 5px solid var(--line); padding: 8px 12px; }
details { margin: 0 0 16px; }
summary { cursor: pointer; color: var(--link); text-decoration: underline; margin-bottom: 8px; }
.figures { width: auto; min-width: 50%; }
.figures th, .figures td { padding-right: 20px; }
.figures .number { text-align: right; font-variant-numeric: tabular-nums; }
.figures tfoot th, .figures tfoot td { font-weight: 700; border-top: 2px solid var(--ink); }
.stats-print summary { display: none; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; margin: 0; padding: 0; overflow: hidden; clip: rect(0 0 0 0); border: 0; white-space: nowrap; }
@media (max-width: 640px) {
  /* One row that scrolls sideways: an admin's eleven sections would otherwise fill the first screen. */
  .nav ul { flex-wrap: nowrap; overflow-x: auto; white-space: nowrap; gap: 0 16px; -webkit-overflow-scrolling: touch; }
  h1 { font-size: 1.45rem; }
  .responsive thead { position: absolute; left: -9999px; }
  .responsive tr { display: block; border-bottom: 2px solid var(--line); padding: 8px 0; }
  .responsive td { display: block; border: 0; padding: 2px 0; }
  .responsive td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
  .summary dt { flex-basis: 100%; }
  .filters { grid-template-columns: 1fr; }
  .responsive th[scope="row"] { display: block; border: 0; padding: 2px 0; }
  .responsive td.number { text-align: left; }
  .wide-only { display: none; }
  .narrow-only { display: block; }
  .figures { width: 100%; }
  .responsive tfoot tr { border-top: 2px solid var(--ink); }
  .responsive tfoot td, .responsive tfoot th { border-top: 0; }
}
@media print {
  @page { size: A4; margin: 14mm; }
  .header, .nav, .footer, form, .skip-link, .noprint, .no-print, .presets, .actions, summary { display: none; }
  body { color: #000; background: #fff; font-size: 10.5pt; }
  .muted, .hint, .headline .detail { color: #000; }
  a { color: #000; text-decoration: none; }
  main.container { max-width: none; padding: 0; }
  .numbers li { background: #fff; border: 1px solid #000; }
  .chart-area { max-width: 17cm; break-inside: avoid; }
  .qr-sheet { grid-template-columns: repeat(3, 1fr); }
  h2 { break-after: avoid; }
  tr { break-inside: avoid; }
  th, td { padding: 4px 6px 4px 0; }
}
`;

/**
 * The few lines of script the console uses, none of them needed for a page to work:
 * - `[data-refresh-url]` reloads that region every `data-refresh-seconds` (default 15), but
 *   never while the clerk is working inside it (focus, a typed field) or the tab is hidden;
 *   the server marks fragment requests by the X-Console-Fragment header.
 * - `[data-counter-for]` counts the characters of a field as it is typed, against `data-limit`.
 * - `[data-dropzone]` lets a file be dropped on a file input's area.
 */
const JS = `
(() => {
  'use strict';
  const busy = (el) => el.contains(document.activeElement) && document.activeElement !== document.body || el.dataset.dirty === '1';
  document.querySelectorAll('[data-refresh-url]').forEach((el) => {
    const seconds = Number(el.dataset.refreshSeconds || 15);
    el.addEventListener('input', () => { el.dataset.dirty = '1'; });
    const tick = async () => {
      if (document.hidden || busy(el)) return;
      try {
        const res = await fetch(el.dataset.refreshUrl, { headers: { 'X-Console-Fragment': '1' }, credentials: 'same-origin' });
        if (!res.ok) return;
        const html = await res.text();
        if (busy(el)) return;
        const box = document.createElement('div');
        box.innerHTML = html;
        const next = box.firstElementChild;
        if (next) {
          el.replaceChildren(...next.childNodes);
          // A region that has nothing more to wait for (a finished broadcast) stops asking.
          if (!next.hasAttribute('data-refresh-url')) { clearInterval(timer); el.removeAttribute('data-refresh-url'); }
        }
      } catch (_) { /* offline for a moment: the next tick tries again */ }
    };
    const timer = setInterval(tick, seconds * 1000);
  });
  document.querySelectorAll('[data-counter-for]').forEach((counter) => {
    const field = document.getElementById(counter.dataset.counterFor);
    const count = counter.querySelector('[data-count]');
    if (!field || !count) return;
    const limit = Number(counter.dataset.limit);
    const update = () => { count.textContent = String(field.value.trim().length); counter.classList.toggle('over', field.value.trim().length > limit); };
    field.addEventListener('input', update);
  });
  document.querySelectorAll('[data-dropzone]').forEach((zone) => {
    const input = zone.querySelector('input[type=file]');
    if (!input) return;
    ['dragenter', 'dragover'].forEach((type) => zone.addEventListener(type, (e) => { e.preventDefault(); zone.classList.add('over'); }));
    ['dragleave', 'drop'].forEach((type) => zone.addEventListener(type, () => zone.classList.remove('over')));
    zone.addEventListener('drop', (e) => {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) { input.files = e.dataTransfer.files; input.dispatchEvent(new Event('change', { bubbles: true })); }
    });
  });
})();
`;

export const ASSETS = {
  'console.css': { type: 'text/css; charset=utf-8', body: CSS },
  'console.js': { type: 'text/javascript; charset=utf-8', body: JS },
} as const;

/** Changes whenever an asset does, so links to them can be cached for a year. */
export const ASSET_VERSION = sha256Hex(CSS + JS).slice(0, 12);
