import { z } from 'zod';
import type { DeliveryChoice, DocumentChoice } from '../../domain/certification/chat-service';
import { formatVnd } from '../../domain/certification/fees';
import { COPIES_PER_PAPER, MIN_POSTAL_ADDRESS_LENGTH } from '../../domain/certification/rules';
import { statusText } from '../../domain/certification/text';
import { parseCount } from '../../knowledge/numbers';
import { maskPhone, normalizeVnPhone } from '../../lib/phone';
import { formatLocalClock, formatLocalDate, formatLocalDateTime } from '../../lib/vn-time';
import type { Button, Reply } from '../../vocabulary/replies';
import type { CertifyPort } from '../core/certify';
import { type Flow, type FlowContext, type FlowResult, stateOf } from '../core/flow';
import type { Inbound } from '../core/types';
import { backToMenu } from './menu';

const NAME = 'certify';

/** What the flow remembers between messages (parsed back with zod: it is stored JSON). */
const dataSchema = z.object({
  phone: z.string().optional(),
  challengeId: z.string().optional(),
  /** After too many codes: when a new code may be asked for (ISO instant); no resend button until then. */
  resendAt: z.string().optional(),
  verified: z
    .object({
      citizenId: z.number(),
      phone: z.string(),
      method: z.enum(['chat_otp', 'channel_contact']),
      at: z.string(),
      challengeId: z.string().optional(),
    })
    .optional(),
  selected: z.array(z.number()).default([]),
  copies: z.record(z.string(), z.number()).default({}),
  delivery: z.union([z.object({ method: z.literal('pickup') }), z.object({ method: z.literal('post'), address: z.string() })]).optional(),
});
type Data = z.infer<typeof dataSchema>;

const dataOf = (ctx: FlowContext): Data => {
  const parsed = ctx.state?.flow === NAME ? dataSchema.safeParse(ctx.state.data) : undefined;
  return parsed?.success ? parsed.data : dataSchema.parse({});
};

const port = (ctx: FlowContext): CertifyPort => ctx.services.certify;
const at = (step: string, data: Data) => stateOf(NAME, step, data);
const menuRow = (ctx: FlowContext): Button[] => backToMenu(ctx);

/**
 * "Chứng thực bản sao": the citizen proves their phone (a code sent to it, or the channel's
 * verified contact), picks stored papers and numbers of copies, chooses pickup or post, sees the
 * fee, and sends an OTP-verified request to the office's queue. Also: follow and cancel requests.
 */
export const certifyFlow: Flow = {
  name: NAME,
  commands: ['/certify', 'chung thuc', 'chung thuc ban sao', 'ban sao', 'certify', 'certified copies'],
  start: async (ctx) => {
    if (ctx.identity.citizenId !== null) {
      const { t } = ctx;
      return {
        replies: [
          {
            title: t('certify.title'),
            text: t('certify.choose'),
            buttons: [[{ label: t('certify.newRequest'), action: 'certify:new' }], [{ label: t('certify.myRequests'), action: 'certify:list' }], menuRow(ctx)],
          },
        ],
        state: null,
      };
    }
    return askPhone(ctx, 'intro');
  },
  handle: async (ctx, input) => {
    const data = dataOf(ctx);
    if (input.kind === 'action') return onAction(ctx, data, input.action.slice(NAME.length + 1));
    const step = ctx.state?.flow === NAME ? ctx.state.step : 'phone';
    if (input.kind === 'contact') return onContact(ctx, data, input);
    if (input.kind !== 'text') return { replies: [{ text: ctx.t('common.pleaseType'), buttons: [backToMenu(ctx)] }] };
    switch (step) {
      case 'code':
        return onCode(ctx, data, input.text);
      case 'copies':
        return onCopies(ctx, data, input.text);
      case 'address':
        return onAddress(ctx, data, input.text);
      case 'pick':
        return showDocuments(ctx, data);
      case 'delivery':
        return askDelivery(ctx, data);
      case 'summary':
        return showSummary(ctx, data);
      default:
        return onPhone(ctx, data, input.text);
    }
  },
};

async function onAction(ctx: FlowContext, data: Data, action: string): Promise<FlowResult> {
  const [verb = '', arg = ''] = action.split(':');
  switch (verb) {
    case 'new':
      return askPhone(ctx, 'intro');
    case 'phone':
      return askPhone(ctx, 'ask');
    case 'resend':
      return data.phone ? sendCode(ctx, data, data.phone) : askPhone(ctx, 'ask');
    case 'notgot':
      return onNotReceived(ctx, data);
    case 'doc':
      return toggleDocument(ctx, data, Number(arg));
    case 'next':
      return startCopies(ctx, data);
    case 'n':
      return onCopies(ctx, data, arg);
    case 'pickup':
      return showSummary(ctx, { ...data, delivery: { method: 'pickup' } });
    case 'post':
      return { replies: [{ text: ctx.t('certify.askAddress'), buttons: [menuRow(ctx)] }], state: at('address', data) };
    case 'confirm':
      return submit(ctx, data);
    case 'list':
      return listRequests(ctx);
    case 'cancel':
      return cancelRequest(ctx, Number(arg));
    default:
      return certifyFlow.start(ctx);
  }
}

const PHONE_PROMPTS = { invalid: 'certify.invalidPhone', expired: 'certify.verifyAgain' } as const;

/**
 * Asks for the phone (typed, or the channel's share-contact button, mentioned only where the
 * channel has one); forgets any earlier proof.
 */
function askPhone(ctx: FlowContext, why: 'intro' | 'ask' | keyof typeof PHONE_PROMPTS): FlowResult {
  const { t } = ctx;
  const ask = t(ctx.capabilities.contactButton ? 'certify.askPhoneOrShare' : 'certify.askPhone');
  const text = why === 'intro' ? `${t('certify.intro')}\n\n${ask}` : why === 'ask' ? ask : t(PHONE_PROMPTS[why]);
  const reply: Reply = { text, requestContact: { label: t('certify.shareContact') }, buttons: [menuRow(ctx)] };
  return { replies: [why === 'intro' ? { title: t('certify.title'), ...reply } : reply], state: at('phone', dataSchema.parse({})) };
}

async function onPhone(ctx: FlowContext, data: Data, text: string): Promise<FlowResult> {
  const phone = normalizeVnPhone(text);
  if (!phone.ok) return askPhone(ctx, 'invalid');
  return sendCode(ctx, { ...data, phone: phone.value }, phone.value);
}

async function onContact(ctx: FlowContext, data: Data, input: Extract<Inbound, { kind: 'contact' }>): Promise<FlowResult> {
  const phone = normalizeVnPhone(input.phone);
  if (!phone.ok) return askPhone(ctx, 'invalid');
  // Only a contact the channel proved to be the sender's own is proof; any other is a typed number.
  if (!input.verified) return sendCode(ctx, { ...data, phone: phone.value }, phone.value);
  const verified = await port(ctx).verifyContact(ctx.identity.id, phone.value);
  return afterVerified(ctx, { ...data, phone: phone.value, verified });
}

async function sendCode(ctx: FlowContext, data: Data, phone: string): Promise<FlowResult> {
  const { t } = ctx;
  const sent = await port(ctx).requestCode(ctx.identity.id, phone, ctx.origin);
  if (!sent.ok) {
    if (sent.reason === 'unavailable') return { replies: [{ text: t('certify.unavailable'), buttons: [menuRow(ctx)] }], state: at('code', data) };
    // Told when a new code may be asked for, with no resend button until then: pressing it
    // sooner would only be refused again.
    const waiting = { ...data, resendAt: sent.retryAt.toISOString() };
    const text = t('certify.rateLimited', { time: retryTime(ctx, sent.retryAt), minutes: sent.retryAfterMinutes });
    return { replies: [{ text, buttons: codeButtons(ctx, waiting) }], state: at('code', waiting) };
  }
  return {
    replies: [{ text: t('certify.codeSent', { phone: maskPhone(phone), minutes: sent.value.ttlMinutes }), buttons: codeButtons(ctx, {}) }],
    state: at('code', { ...data, phone, challengeId: sent.value.challengeId, resendAt: undefined }),
  };
}

/** When a new code may be asked for, while the chat has to wait; undefined when it may now. */
function resendLockedUntil(ctx: FlowContext, data: Pick<Data, 'resendAt'>): Date | undefined {
  const until = data.resendAt === undefined ? Number.NaN : Date.parse(data.resendAt);
  return until > ctx.now.getTime() ? new Date(until) : undefined;
}

/** The time of day, with the date when it is not today. */
function retryTime(ctx: FlowContext, at: Date): string {
  return formatLocalDate(at) === formatLocalDate(ctx.now) ? formatLocalClock(at) : formatLocalDateTime(at);
}

/** "Gửi lại mã" (unless the chat must wait for a new code), "Chưa nhận được mã", "Đổi số". */
function codeButtons(ctx: FlowContext, data: Pick<Data, 'resendAt'>): Button[][] {
  const resend = resendLockedUntil(ctx, data) ? [] : [{ label: ctx.t('certify.resend'), action: 'certify:resend' }];
  return [
    [...resend, { label: ctx.t('certify.notReceived'), action: 'certify:notgot' }],
    [{ label: ctx.t('certify.changePhone'), action: 'certify:phone' }],
    menuRow(ctx),
  ];
}

/** A text that ends by asking to press "Gửi lại mã", or its variant naming when a new code may be asked for. */
function resendText(
  ctx: FlowContext,
  data: Data,
  key: 'certify.codeExpired' | 'certify.tooManyTries' | 'certify.deliveryOk',
  values: Record<string, unknown> = {},
): string {
  const until = resendLockedUntil(ctx, data);
  return until ? ctx.t(`${key}Wait`, { ...values, time: retryTime(ctx, until) }) : ctx.t(key, values);
}

async function onNotReceived(ctx: FlowContext, data: Data): Promise<FlowResult> {
  if (!data.challengeId || !data.phone) return askPhone(ctx, 'ask');
  const delivery = await port(ctx).codeDelivery(data.challengeId);
  const phone = maskPhone(data.phone);
  const text = delivery === 'failed' ? ctx.t('certify.deliveryFailed', { phone }) : resendText(ctx, data, 'certify.deliveryOk', { phone });
  return { replies: [{ text, buttons: codeButtons(ctx, data) }] };
}

async function onCode(ctx: FlowContext, data: Data, text: string): Promise<FlowResult> {
  const { t } = ctx;
  const code = text.replace(/[\s.-]/g, '');
  if (!/^\d{6}$/.test(code)) return { replies: [{ text: t('certify.enterDigits'), buttons: codeButtons(ctx, data) }] };
  if (!data.challengeId) return askPhone(ctx, 'ask');
  const checked = await port(ctx).verifyCode(ctx.identity.id, data.challengeId, code);
  if (checked.ok) return afterVerified(ctx, { ...data, verified: checked.value });
  // A code that never arrived is told honestly, whatever the citizen typed.
  if ((await port(ctx).codeDelivery(data.challengeId)) === 'failed') return onNotReceived(ctx, data);
  const reply =
    checked.reason === 'wrong_code'
      ? t('certify.wrongCode', { count: checked.triesLeft })
      : resendText(ctx, data, checked.reason === 'too_many_tries' ? 'certify.tooManyTries' : 'certify.codeExpired');
  return { replies: [{ text: reply, buttons: codeButtons(ctx, data) }] };
}

async function afterVerified(ctx: FlowContext, data: Data): Promise<FlowResult> {
  const shown = await showDocuments(ctx, { ...data, selected: [], copies: {} });
  return { ...shown, replies: [{ text: ctx.t('certify.verified') }, ...shown.replies] };
}

async function showDocuments(ctx: FlowContext, data: Data, notice?: string): Promise<FlowResult> {
  const { t } = ctx;
  if (!data.verified) return askPhone(ctx, 'intro');
  const docs = await port(ctx).documents(data.verified.citizenId);
  if (docs.length === 0) return { replies: [{ text: t('certify.noDocuments'), buttons: [menuRow(ctx)] }], state: null };
  const buttons: Button[][] = docs.map((d) => [
    { label: t('certify.documentButton', { mark: data.selected.includes(d.id) ? '☑️' : '⬜', title: d.title, pages: d.pages }), action: `certify:doc:${d.id}` },
  ]);
  buttons.push([{ label: t('certify.next'), action: 'certify:next' }], menuRow(ctx));
  return { replies: [{ text: notice ? `${notice}\n\n${t('certify.pickDocuments')}` : t('certify.pickDocuments'), buttons }], state: at('pick', data) };
}

async function toggleDocument(ctx: FlowContext, data: Data, documentId: number): Promise<FlowResult> {
  if (!data.verified) return askPhone(ctx, 'intro');
  const docs = await port(ctx).documents(data.verified.citizenId);
  const doc = docs.find((d) => d.id === documentId);
  if (!doc) return showDocuments(ctx, data);
  if (data.selected.includes(documentId)) return showDocuments(ctx, { ...data, selected: data.selected.filter((id) => id !== documentId) });
  // One request is certified by one office: papers kept elsewhere need their own request.
  const office = docs.find((d) => d.id === data.selected[0])?.officeId;
  if (office !== undefined && office !== doc.officeId) return showDocuments(ctx, data, ctx.t('certify.otherOffice', { title: doc.title }));
  return showDocuments(ctx, { ...data, selected: [...data.selected, documentId] });
}

async function chosen(ctx: FlowContext, data: Data): Promise<DocumentChoice[]> {
  if (!data.verified) return [];
  const docs = await port(ctx).documents(data.verified.citizenId);
  return data.selected.map((id) => docs.find((d) => d.id === id)).filter((d): d is DocumentChoice => d !== undefined);
}

async function startCopies(ctx: FlowContext, data: Data): Promise<FlowResult> {
  if (data.selected.length === 0) return showDocuments(ctx, data, ctx.t('certify.pickAtLeastOne'));
  return askCopies(ctx, { ...data, copies: {} });
}

/** Asks the number of copies of the first chosen paper that has none yet, or moves on. */
async function askCopies(ctx: FlowContext, data: Data): Promise<FlowResult> {
  const docs = await chosen(ctx, data);
  const next = docs.find((d) => data.copies[String(d.id)] === undefined);
  if (!next) return askDelivery(ctx, data);
  return {
    replies: [{ text: ctx.t('certify.askCopies', { title: next.title, max: COPIES_PER_PAPER.max }), buttons: copiesButtons(ctx) }],
    state: at('copies', data),
  };
}

const copiesButtons = (ctx: FlowContext): Button[][] => [[1, 2, 3, 4, 5].map((n) => ({ label: String(n), action: `certify:n:${n}` })), menuRow(ctx)];

/** A number of copies as typed ("3", "3 bản", "ba bản", "x3") or pressed; out of range is refused with the same buttons. */
async function onCopies(ctx: FlowContext, data: Data, text: string): Promise<FlowResult> {
  const copies = parseCount(text);
  if (copies === null || copies < COPIES_PER_PAPER.min || copies > COPIES_PER_PAPER.max) {
    return { replies: [{ text: ctx.t('certify.invalidCopies', { max: COPIES_PER_PAPER.max }), buttons: copiesButtons(ctx) }] };
  }
  const docs = await chosen(ctx, data);
  const next = docs.find((d) => data.copies[String(d.id)] === undefined);
  if (!next) return askDelivery(ctx, data);
  return askCopies(ctx, { ...data, copies: { ...data.copies, [String(next.id)]: copies } });
}

function askDelivery(ctx: FlowContext, data: Data): FlowResult {
  const { t } = ctx;
  return {
    replies: [
      {
        text: t('certify.askDelivery'),
        buttons: [[{ label: t('certify.pickup'), action: 'certify:pickup' }], [{ label: t('certify.post'), action: 'certify:post' }], menuRow(ctx)],
      },
    ],
    state: at('delivery', data),
  };
}

async function onAddress(ctx: FlowContext, data: Data, text: string): Promise<FlowResult> {
  const address = text.trim().replace(/\s+/g, ' ');
  if (address.length < MIN_POSTAL_ADDRESS_LENGTH) return { replies: [{ text: ctx.t('certify.invalidAddress'), buttons: [menuRow(ctx)] }] };
  return showSummary(ctx, { ...data, delivery: { method: 'post', address: address.slice(0, 300) } });
}

async function showSummary(ctx: FlowContext, data: Data): Promise<FlowResult> {
  const { t } = ctx;
  if (!data.delivery) return askDelivery(ctx, data);
  const docs = await chosen(ctx, data);
  const lines = docs.map((d) => {
    const copies = data.copies[String(d.id)] ?? 1;
    return t('certify.summaryLine', { title: d.title, copies, pages: d.pages, fee: formatVnd(d.copyFee * copies) });
  });
  const total = docs.reduce((sum, d) => sum + d.copyFee * (data.copies[String(d.id)] ?? 1), 0);
  const office = docs[0]?.office;
  const where =
    data.delivery.method === 'post'
      ? t('certify.summaryPost', { address: data.delivery.address })
      : office
        ? t('certify.summaryPickupAt', { office })
        : t('certify.summaryPickup');
  return {
    replies: [
      {
        title: t('certify.summaryTitle'),
        text: [...lines, '', where, t('certify.summaryTotal', { fee: formatVnd(total) })].join('\n'),
        buttons: [
          [
            { label: t('certify.confirm'), action: 'certify:confirm' },
            { label: t('certify.cancel'), action: 'cancel' },
          ],
        ],
      },
    ],
    state: at('summary', data),
  };
}

async function submit(ctx: FlowContext, data: Data): Promise<FlowResult> {
  const { t } = ctx;
  if (!data.verified || !data.delivery || data.selected.length === 0) return certifyFlow.start(ctx);
  const delivery: DeliveryChoice = data.delivery;
  const items = data.selected.map((documentId) => ({ documentId, copies: data.copies[String(documentId)] ?? 1 }));
  const saved = await port(ctx).submit(ctx.identity.id, data.verified, items, delivery);
  if (saved.ok) {
    return {
      replies: [
        { text: t('certify.submitted', { ref: saved.value.ref }), buttons: [[{ label: t('certify.myRequests'), action: 'certify:list' }], menuRow(ctx)] },
      ],
      state: null,
    };
  }
  if (saved.reason === 'not_verified') return askPhone(ctx, 'expired');
  return showDocuments(ctx, { ...data, selected: [], copies: {} }, t('certify.documentsChanged'));
}

async function listRequests(ctx: FlowContext): Promise<FlowResult> {
  const { t } = ctx;
  if (ctx.identity.citizenId === null) return askPhone(ctx, 'intro');
  const requests = await port(ctx).requests(ctx.identity.citizenId);
  if (requests.length === 0) {
    return { replies: [{ text: t('certify.noRequests'), buttons: [[{ label: t('certify.newRequest'), action: 'certify:new' }], menuRow(ctx)] }], state: null };
  }
  const cancellable = requests.filter((r) => r.status === 'submitted');
  return {
    replies: [
      {
        title: t('certify.requestsTitle'),
        text: requests.map((r) => statusText(t, r)).join('\n\n'),
        buttons: [
          ...cancellable.map((r) => [{ label: t('certify.cancelRequest', { ref: r.ref }), action: `certify:cancel:${r.id}` }]),
          [{ label: t('certify.newRequest'), action: 'certify:new' }],
          menuRow(ctx),
        ],
      },
    ],
    state: null,
  };
}

async function cancelRequest(ctx: FlowContext, requestId: number): Promise<FlowResult> {
  const { t } = ctx;
  if (ctx.identity.citizenId === null || !Number.isInteger(requestId)) return certifyFlow.start(ctx);
  const cancelled = await port(ctx).cancel(ctx.identity.citizenId, requestId);
  if (!cancelled.ok) {
    if (cancelled.reason === 'not_found') return listRequests(ctx);
    return {
      replies: [{ text: t('certify.notCancellable'), buttons: [[{ label: t('certify.myRequests'), action: 'certify:list' }], menuRow(ctx)] }],
      state: null,
    };
  }
  return {
    replies: [
      { text: t('certify.cancelled', { ref: cancelled.value.ref }), buttons: [[{ label: t('certify.myRequests'), action: 'certify:list' }], menuRow(ctx)] },
    ],
    state: null,
  };
}
