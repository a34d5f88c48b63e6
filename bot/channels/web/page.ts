/**
 * The web chat page: one self-contained document (no build step, no external requests), so it
 * is served the same way by any runtime. Texts from the assistant are inserted with
 * textContent, never as HTML.
 */
export function renderChatPage(): string {
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Trợ lý Một Cửa · One-stop office assistant</title>
<style>
  :root { --brand: #b71c1c; --bg: #f5f5f5; --me: #dcf3ff; --bot: #fff; --ink: #1d1d1f; --muted: #666; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--ink); }
  .app { max-width: 720px; margin: 0 auto; height: 100dvh; display: flex; flex-direction: column; background: #fafafa; }
  header { background: var(--brand); color: #fff; padding: 12px 16px; }
  header h1 { font-size: 1.05rem; margin: 0; }
  header p { margin: 2px 0 0; font-size: .85rem; opacity: .9; }
  #log { flex: 1; overflow-y: auto; padding: 16px; display: flex; flex-direction: column; gap: 10px; }
  .msg { max-width: 85%; padding: 10px 12px; border-radius: 12px; white-space: pre-wrap; overflow-wrap: anywhere; box-shadow: 0 1px 1px rgba(0,0,0,.06); }
  .bot { align-self: flex-start; background: var(--bot); border-top-left-radius: 4px; }
  .me { align-self: flex-end; background: var(--me); border-top-right-radius: 4px; }
  .msg strong { display: block; margin-bottom: 4px; }
  .buttons { display: flex; flex-direction: column; gap: 6px; margin-top: 8px; }
  .row { display: flex; gap: 6px; flex-wrap: wrap; }
  .row > * { flex: 1 1 auto; }
  button.choice, a.choice { font: inherit; font-size: .95rem; padding: 8px 10px; border: 1px solid var(--brand); color: var(--brand); background: #fff; border-radius: 8px; cursor: pointer; text-align: center; text-decoration: none; }
  button.choice:hover, a.choice:hover { background: #fdecea; }
  form { display: flex; gap: 8px; padding: 12px; border-top: 1px solid #ddd; background: #fff; }
  input { flex: 1; font: inherit; padding: 10px 12px; border: 1px solid #ccc; border-radius: 8px; }
  form button { font: inherit; padding: 10px 16px; border: 0; border-radius: 8px; background: var(--brand); color: #fff; cursor: pointer; }
  .status { color: var(--muted); font-size: .85rem; text-align: center; }
</style>
</head>
<body>
<div class="app">
  <header><h1>Trợ lý Bộ phận Một Cửa</h1><p>One-stop office assistant · Tiếng Việt / English</p></header>
  <main id="log" aria-live="polite"></main>
  <form id="composer" autocomplete="off">
    <label for="text" hidden>Tin nhắn</label>
    <input id="text" name="text" maxlength="1000" placeholder="Nhập câu hỏi… (Type your question…)" autofocus>
    <button type="submit">Gửi</button>
  </form>
</div>
<script>
(() => {
  const log = document.getElementById('log');
  const form = document.getElementById('composer');
  const input = document.getElementById('text');
  const newId = () => (crypto.randomUUID ? crypto.randomUUID() : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')).replace(/[^A-Za-z0-9_-]/g, '');

  function bubble(who, reply) {
    const el = document.createElement('div');
    el.className = 'msg ' + who;
    if (reply.title) { const s = document.createElement('strong'); s.textContent = reply.title; el.appendChild(s); }
    el.appendChild(document.createTextNode(reply.text));
    if (reply.buttons && reply.buttons.length) {
      const box = document.createElement('div'); box.className = 'buttons';
      for (const row of reply.buttons) {
        const r = document.createElement('div'); r.className = 'row';
        for (const b of row) {
          let c;
          if (b.url) { c = document.createElement('a'); c.href = b.url; c.target = '_blank'; c.rel = 'noopener'; }
          else { c = document.createElement('button'); c.type = 'button'; c.addEventListener('click', () => send({ action: b.action }, b.label)); }
          c.className = 'choice'; c.textContent = b.label; r.appendChild(c);
        }
        box.appendChild(r);
      }
      el.appendChild(box);
    }
    log.appendChild(el);
    log.scrollTop = log.scrollHeight;
  }

  function status(text) {
    const el = document.createElement('div'); el.className = 'status'; el.textContent = text; log.appendChild(el);
  }

  async function send(message, echo) {
    if (echo) bubble('me', { text: echo });
    const body = JSON.stringify({ id: newId(), ...message });
    // A 503 means the message was not taken (the server is briefly without its database): the
    // same message, with the same id, goes again after a pause, as after a network failure.
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const res = await fetch('/chat/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        if (res.status === 503) throw new Error('unavailable');
        const data = await res.json();
        if (!res.ok) { status(data.error ? data.error.message : 'Lỗi ' + res.status); return; }
        for (const reply of data.replies) bubble('bot', reply);
        return;
      } catch (e) { await new Promise((r) => setTimeout(r, 800 * (attempt + 1))); }
    }
    status('Không kết nối được máy chủ. Xin vui lòng thử lại. (Could not reach the server.)');
  }

  async function poll() {
    if (document.visibilityState !== 'visible') return;
    try {
      const res = await fetch('/chat/updates');
      if (res.ok) for (const reply of (await res.json()).replies) bubble('bot', reply);
    } catch (e) { /* offline for a moment: the next poll catches up */ }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    send({ text }, text);
  });

  // ?p=<procedure code> opens its card; ?start=<payload> is Telegram's start payload (an office's
  // poster or QR code: knowledge/deep-link.ts).
  const params = new URLSearchParams(location.search);
  const code = params.get('p');
  const start = params.get('start');
  send(
    start && /^[A-Za-z0-9_-]{1,64}$/.test(start) ? { start }
      : code && /^[A-Za-z0-9.-]{1,60}$/.test(code) ? { start: 'p_' + code }
      : { start: '' },
  );
  setInterval(poll, 5000);
})();
</script>
</body>
</html>`;
}
