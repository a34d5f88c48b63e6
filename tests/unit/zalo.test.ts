import { describe, expect, it } from 'vitest';
import { outcomeOf, ZaloApiError, ZaloNetworkError, ZaloTokenUnavailableError } from '../../bot/channels/zalo/errors';
import { actionFromPayload, normalizeEvent } from '../../bot/channels/zalo/normalize';
import { renderReplies, splitText } from '../../bot/channels/zalo/render';
import { envelopeSchema } from '../../bot/channels/zalo/schema';
import { chooseRoute } from '../../bot/channels/zalo/sender';
import { freshness, signatureMatches, zaloSignature } from '../../bot/channels/zalo/verify';
import { templateData, znsPhone } from '../../bot/channels/zalo/zns';
import { parseConfig } from '../../config/schema';
import { sha256Hex } from '../../lib/crypto';

const HOUR = 3_600_000;

function normalize(body: Record<string, unknown>) {
  const envelope = envelopeSchema.parse(body);
  return normalizeEvent(envelope, body);
}

describe('Zalo signature', () => {
  it("is plain SHA-256 over app id + raw body + timestamp + OA secret key, as Zalo's doc writes it", () => {
    expect(zaloSignature('123', '{"a":1}', '1700000000000', 'key')).toBe(sha256Hex('123{"a":1}1700000000000key'));
  });

  it('matches with or without the mac= prefix, in any case, and refuses anything else', () => {
    const mac = zaloSignature('123', '{}', '1', 'key');
    expect(signatureMatches(`mac=${mac}`, mac)).toBe(true);
    expect(signatureMatches(mac.toUpperCase(), mac)).toBe(true);
    expect(signatureMatches(`MAC=${mac}`, mac)).toBe(true);
    expect(signatureMatches(undefined, mac)).toBe(false);
    expect(signatureMatches('', mac)).toBe(false);
    const flipped = `${mac.slice(0, -1)}${mac.endsWith('0') ? '1' : '0'}`;
    expect(signatureMatches(`mac=${flipped}`, mac)).toBe(false);
    expect(signatureMatches(zaloSignature('123', '{}', '1', 'other'), mac)).toBe(false);
  });

  it('accepts timestamps inside the window and refuses old or future ones', () => {
    const now = new Date('2026-11-23T01:00:00Z');
    expect(freshness(now.getTime() - HOUR, now, 2 * HOUR, 5 * 60_000)).toBe('fresh');
    expect(freshness(now.getTime() - 3 * HOUR, now, 2 * HOUR, 5 * 60_000)).toBe('stale');
    expect(freshness(now.getTime() + 10 * 60_000, now, 2 * HOUR, 5 * 60_000)).toBe('future');
  });
});

describe('Zalo events to Inbound', () => {
  const ts = '1763859600000';

  it('maps typed text, keeping the message id for redeliveries', () => {
    expect(normalize({ event_name: 'user_send_text', timestamp: ts, sender: { id: '246' }, message: { msg_id: 'm1', text: 'xin chào' } })).toEqual({
      type: 'dialog',
      envelope: { channel: 'zalo', externalId: '246', updateId: 'm1', message: { kind: 'text', text: 'xin chào' } },
    });
  });

  it('maps a hidden-query button payload to its action, and leaves ordinary text alone', () => {
    expect(actionFromPayload('#settings:lang:en')).toBe('settings:lang:en');
    expect(actionFromPayload('#ask')).toBe('ask');
    expect(actionFromPayload('settings:lang:en')).toBeNull();
    expect(actionFromPayload('# hello there')).toBeNull();
    expect(actionFromPayload(`#a:${'x'.repeat(70)}`)).toBeNull();
  });

  it('maps a follow to the welcome, keyed by event, follower and timestamp', () => {
    expect(normalize({ event_name: 'follow', timestamp: ts, follower: { id: '246' }, oa_id: '388' })).toMatchObject({
      type: 'dialog',
      envelope: { externalId: '246', updateId: `follow:246:${ts}`, message: { kind: 'start' } },
    });
  });

  it('maps an unfollow to blocking the chat', () => {
    expect(normalize({ event_name: 'unfollow', timestamp: ts, follower: { id: '246' } })).toEqual({
      type: 'unfollow',
      userId: '246',
      updateId: `unfollow:246:${ts}`,
    });
  });

  it.each(['user_send_image', 'user_send_sticker', 'user_send_audio', 'user_send_location'])('asks for text after %s', (event) => {
    expect(normalize({ event_name: event, timestamp: ts, sender: { id: '246' }, message: { msg_id: 'm2' } })).toMatchObject({
      envelope: { message: { kind: 'unsupported' } },
    });
  });

  it('maps shared info to an unverified contact in E.164, with the name: a form is a claim, not proof', () => {
    expect(normalize({ event_name: 'user_submit_info', timestamp: ts, sender: { id: '246' }, info: { name: 'Lê Văn Cường', phone: '84912345678' } })).toEqual({
      type: 'dialog',
      envelope: {
        channel: 'zalo',
        externalId: '246',
        updateId: `user_submit_info:246:${ts}`,
        displayName: 'Lê Văn Cường',
        message: { kind: 'contact', phone: '+84912345678', verified: false },
      },
    });
  });

  it('passes on a shared number it cannot read as it came, unverified', () => {
    const event = normalize({ event_name: 'user_submit_info', timestamp: ts, sender: { id: '246' }, info: { phone: '12345' } });
    expect(event).toMatchObject({ envelope: { message: { kind: 'contact', phone: '12345', verified: false } } });
  });

  it('ignores unknown events and events it cannot read (a numeric id would have lost precision)', () => {
    expect(normalize({ event_name: 'user_seen_message', timestamp: ts, sender: { id: '246' } })).toMatchObject({ type: 'ignored' });
    expect(normalize({ event_name: 'user_send_text', timestamp: ts, sender: { id: 246 }, message: { msg_id: 'm3', text: 'x' } })).toMatchObject({
      type: 'ignored',
      reason: expect.stringContaining('sender.id'),
    });
  });
});

describe('Replies as Zalo messages', () => {
  it('renders action buttons as hidden queries and links as open-url buttons', () => {
    const [message] = renderReplies([
      {
        title: 'Cấp bản sao trích lục khai sinh',
        text: 'Lệ phí: 8.000 đồng/bản.',
        buttons: [[{ label: 'Nộp trực tuyến', url: 'https://dichvucong.gov.vn' }], [{ label: 'Về menu', action: 'menu' }]],
      },
    ]);
    expect(message).toEqual({
      text: 'Cấp bản sao trích lục khai sinh\nLệ phí: 8.000 đồng/bản.',
      attachment: {
        type: 'template',
        payload: {
          buttons: [
            { title: 'Nộp trực tuyến', type: 'oa.open.url', payload: { url: 'https://dichvucong.gov.vn' } },
            { title: 'Về menu', type: 'oa.query.hide', payload: '#menu' },
          ],
        },
      },
    });
  });

  it('splits text over 2000 characters at a line break, with the buttons on the last part', () => {
    const text = `${'a'.repeat(1500)}\n${'b'.repeat(1500)}`;
    const messages = renderReplies([{ text, buttons: [[{ label: 'OK', action: 'menu' }]] }]);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toEqual({ text: 'a'.repeat(1500) });
    expect(messages[1]).toMatchObject({ text: 'b'.repeat(1500), attachment: { payload: { buttons: [{ payload: '#menu' }] } } });
    expect(splitText('x'.repeat(4500), 2000).map((p) => p.length)).toEqual([2000, 2000, 500]);
  });

  it('moves buttons beyond five to a follow-up message', () => {
    const buttons = Array.from({ length: 7 }, (_, i) => [{ label: `B${i}`, action: `menu:${i}` }]);
    const messages = renderReplies([{ text: 'Chọn', buttons }]);
    expect(messages).toHaveLength(2);
    expect(messages.map((m) => ('attachment' in m && m.attachment && 'buttons' in m.attachment.payload ? m.attachment.payload.buttons.length : 0))).toEqual([
      5, 2,
    ]);
  });

  it('asks for the phone with a request_user_info card', () => {
    const messages = renderReplies([{ text: 'Anh/Chị vui lòng chia sẻ số điện thoại.', requestContact: { label: 'Chia sẻ số điện thoại' } }], {
      infoCardImageUrl: 'https://example.vn/card.png',
    });
    expect(messages).toEqual([
      {
        attachment: {
          type: 'template',
          payload: {
            template_type: 'request_user_info',
            elements: [{ title: 'Chia sẻ số điện thoại', subtitle: 'Anh/Chị vui lòng chia sẻ số điện thoại.', image_url: 'https://example.vn/card.png' }],
          },
        },
      },
    ]);
  });
});

describe('Zalo send rules', () => {
  const now = new Date('2026-11-23T01:00:00Z');
  const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);

  it('sends replies as customer-service messages whatever the window', () => {
    expect(chooseRoute('reply', ago(500), now, 48 * HOUR)).toEqual({ via: 'cs' });
  });

  it('sends proactive messages inside the configured window, and never past 7 days', () => {
    expect(chooseRoute('status_change', ago(47), now, 48 * HOUR)).toEqual({ via: 'cs' });
    expect(chooseRoute('status_change', ago(49), now, 48 * HOUR)).toMatchObject({ via: 'fallback', reason: expect.stringContaining('48 h window') });
    expect(chooseRoute('status_change', ago(100), now, 168 * HOUR)).toEqual({ via: 'cs' });
    expect(chooseRoute('status_change', ago(170), now, 500 * HOUR)).toMatchObject({ via: 'fallback' });
    expect(chooseRoute('broadcast', null, now, 48 * HOUR)).toMatchObject({ via: 'fallback', reason: 'the user has never written to the OA' });
  });

  it.each([
    [new ZaloApiError(-32, 'rate limit', 'message/cs'), { status: 'retry', retryAfterMs: 15_000 }],
    [new ZaloApiError(-220, 'expired', 'message/cs'), { status: 'retry', retryAfterMs: 60_000 }],
    [new ZaloApiError(-213, 'not follower', 'message/cs'), { status: 'blocked' }],
    [new ZaloApiError(-230, 'window', 'message/cs'), { status: 'undeliverable' }],
    [new ZaloApiError(-201, 'bad param', 'message/cs'), { status: 'invalid' }],
    [new ZaloApiError(-109, 'bad template', 'zns/template'), { status: 'invalid' }],
    [new ZaloApiError(-115, 'no quota', 'zns/template'), { status: 'retry', retryAfterMs: 900_000 }],
    [new ZaloApiError(-999, 'new code', 'message/cs'), { status: 'retry' }],
    [new ZaloNetworkError('message/cs', 'unknown', 'UND_ERR_SOCKET', 'closed'), { status: 'retry' }],
    [new ZaloTokenUnavailableError('refresh failed'), { status: 'retry', retryAfterMs: 60_000 }],
  ])('maps %s to what the worker should do', (error, expected) => {
    expect(outcomeOf(error)).toMatchObject(expected);
  });
});

describe('ZNS templates', () => {
  it('sends our parameters as they are, or renamed to the template’s own names', () => {
    expect(templateData({ id: '1' }, { code: 'H29', status: 'ready' })).toEqual({ ok: true, value: { code: 'H29', status: 'ready' } });
    expect(templateData({ id: '1', params: { ma_ho_so: 'code' } }, { code: 'H29', status: 'ready' })).toEqual({ ok: true, value: { ma_ho_so: 'H29' } });
    expect(templateData({ id: '1', params: { ngay: 'date' } }, { code: 'H29' })).toMatchObject({ ok: false, reason: 'missing_param' });
    expect(znsPhone('+84912345678')).toBe('84912345678');
  });

  it('reads ZALO_ZNS_TEMPLATES and names what is wrong with it', () => {
    const base = { ZALO_APP_ID: '3608465248940903967', ZALO_APP_SECRET: 'app-secret', ZALO_OA_SECRET_KEY: 'oa-secret-key' };
    const good = parseConfig({ ...base, ZALO_ZNS_TEMPLATES: '{"otp":"248179","status_change":{"id":"248180","params":{"ma_ho_so":"code"}}}' });
    expect(good.ok && good.value.zalo?.znsTemplates).toEqual({ otp: { id: '248179' }, status_change: { id: '248180', params: { ma_ho_so: 'code' } } });
    const bad = parseConfig({ ...base, ZALO_ZNS_TEMPLATES: '{otp:1}' });
    expect(!bad.ok && bad.message).toContain('ZALO_ZNS_TEMPLATES: expected JSON');
  });

  it('requires the three Zalo keys together, and a refresh token with an access token', () => {
    const parsed = parseConfig({ ZALO_APP_ID: '3608465248940903967', ZALO_ACCESS_TOKEN: 'some-access-token' });
    const message = !parsed.ok ? (parsed.message ?? '') : '';
    expect(message).toContain('ZALO_APP_SECRET: required with ZALO_APP_ID and ZALO_OA_SECRET_KEY');
    expect(message).toContain('ZALO_OA_SECRET_KEY: required with ZALO_APP_ID and ZALO_APP_SECRET');
    expect(message).toContain('ZALO_REFRESH_TOKEN: required with ZALO_ACCESS_TOKEN');
    expect(parseConfig({}).ok && parseConfig({})).toMatchObject({ value: { zalo: undefined } });
  });
});
