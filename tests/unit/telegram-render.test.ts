import { describe, expect, it } from 'vitest';
import { escapeHtml, MAX_MESSAGE_LENGTH, renderReplies } from '../../bot/channels/telegram/render';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const words = (count: number) => Array.from({ length: count }, (_, i) => `từ${i}`).join(' ');

describe('telegram render', () => {
  it('escapes < > & in text and title and makes the title bold', () => {
    const [message] = renderReplies([{ title: 'Phí <lệ phí> & thuế', text: 'a < b && c > d' }]);
    expect(message).toEqual({ text: '<b>Phí &lt;lệ phí&gt; &amp; thuế</b>\na &lt; b &amp;&amp; c &gt; d', parse_mode: 'HTML' });
  });

  it('sends a short reply as one message', () => {
    expect(renderReplies([{ text: 'Xin chào' }])).toEqual([{ text: 'Xin chào', parse_mode: 'HTML' }]);
  });

  it('splits a long text within 4096 characters at paragraph boundaries first', () => {
    const paragraph = 'x'.repeat(3000);
    const messages = renderReplies([{ text: `${paragraph}\n\n${paragraph}\n\n${paragraph}` }]);
    expect(messages.map((m) => m.text)).toEqual([paragraph, paragraph, paragraph]);
  });

  it('splits on words when there are no line breaks, never cutting a word', () => {
    const text = words(2000);
    const messages = renderReplies([{ text }]);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(m.text.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(messages.map((m) => m.text).join(' ')).toBe(text);
  });

  it('never cuts an escaped entity or the title tag, even when splitting hard', () => {
    const text = '&'.repeat(5000);
    const messages = renderReplies([{ title: 'Tiêu đề', text }], { maxLength: 1000 });
    for (const m of messages) {
      expect(m.text.length).toBeLessThanOrEqual(1000);
      // Every chunk must parse on its own: only whole entities and balanced <b> tags.
      expect(m.text.replace(/<b>[^<]*<\/b>\n?/, '').replace(/&amp;/g, '')).toBe('');
    }
    expect(messages[0]?.text.startsWith('<b>Tiêu đề</b>\n')).toBe(true);
    expect(messages.map((m) => m.text.replace(/<b>[^<]*<\/b>\n/, '')).join('')).toBe('&amp;'.repeat(5000));
  });

  it('does not split an emoji or separate a letter from its accent', () => {
    const decomposed = 'e\u0301'.repeat(10);
    const emoji = '📄'.repeat(10);
    for (const text of [decomposed, emoji]) {
      const messages = renderReplies([{ text }], { maxLength: 7 });
      expect(messages.map((m) => m.text).join('')).toBe(text);
      for (const m of messages) expect(m.text).not.toMatch(LONE_SURROGATE);
      for (const m of messages) expect(m.text).not.toMatch(/^\p{M}/u);
    }
  });

  it('attaches the inline keyboard to the last message only, with url buttons', () => {
    const messages = renderReplies([
      {
        text: `${'a'.repeat(3000)}\n\n${'b'.repeat(3000)}`,
        buttons: [[{ label: 'Nộp trực tuyến', url: 'https://dichvucong.gov.vn' }], [{ label: 'Về menu', action: 'menu' }]],
      },
    ]);
    expect(messages).toHaveLength(2);
    expect(messages[0]?.reply_markup).toBeUndefined();
    expect(messages[1]?.reply_markup).toEqual({
      inline_keyboard: [[{ text: 'Nộp trực tuyến', url: 'https://dichvucong.gov.vn' }], [{ text: 'Về menu', callback_data: 'menu' }]],
    });
  });

  it('accepts callback data of exactly 64 bytes and refuses 65', () => {
    // 'ệ' is three bytes in UTF-8: 21 of them plus one ASCII letter make 64 bytes in 22 characters.
    const fits = `${'ệ'.repeat(21)}a`;
    expect(new TextEncoder().encode(fits).length).toBe(64);
    expect(renderReplies([{ text: 'x', buttons: [[{ label: 'ok', action: fits }]] }])[0]?.reply_markup).toEqual({
      inline_keyboard: [[{ text: 'ok', callback_data: fits }]],
    });
    expect(() => renderReplies([{ text: 'x', buttons: [[{ label: 'too long', action: `${fits}b` }]] }])).toThrow(/64 bytes/);
  });

  it('asks for the contact with a one-time reply keyboard', () => {
    const [message] = renderReplies([{ text: 'Xin chia sẻ số điện thoại', requestContact: { label: '📱 Chia sẻ số điện thoại' } }]);
    expect(message?.reply_markup).toEqual({
      keyboard: [[{ text: '📱 Chia sẻ số điện thoại', request_contact: true }]],
      one_time_keyboard: true,
      resize_keyboard: true,
    });
  });

  it('sends the contact button on its own message when the reply also has inline buttons', () => {
    const messages = renderReplies([{ text: 'Xác minh', buttons: [[{ label: 'Huỷ', action: 'menu' }]], requestContact: { label: 'Chia sẻ' } }]);
    expect(messages.map((m) => m.reply_markup)).toEqual([
      { inline_keyboard: [[{ text: 'Huỷ', callback_data: 'menu' }]] },
      { keyboard: [[{ text: 'Chia sẻ', request_contact: true }]], one_time_keyboard: true, resize_keyboard: true },
    ]);
  });

  it('removes the contact keyboard with the first plain message after a contact arrives', () => {
    const messages = renderReplies([{ text: 'Cảm ơn' }, { text: 'Menu', buttons: [[{ label: 'Menu', action: 'menu' }]] }], { removeKeyboard: true });
    expect(messages[0]?.reply_markup).toEqual({ remove_keyboard: true });
    expect(messages[1]?.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Menu', callback_data: 'menu' }]] });
  });

  it('keeps the contact keyboard when the reply asks for the contact again', () => {
    const messages = renderReplies([{ text: 'Số này không phải của Anh/Chị', requestContact: { label: 'Chia sẻ' } }], { removeKeyboard: true });
    expect(messages[0]?.reply_markup).toMatchObject({ keyboard: [[{ request_contact: true }]] });
  });

  it('escapes exactly the three characters HTML mode reserves', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(`&lt;a href="x"&gt;'&amp;'&lt;/a&gt;`);
  });
});
