import { spokenLanguage } from '../../knowledge/language';
import { foldVietnamese } from '../../knowledge/normalize';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../lib/logger';
import { isTransient } from '../../lib/transient';
import { CHANNEL_CAPABILITIES, type ChannelName } from '../../vocabulary/channels';
import type { Translate } from '../../vocabulary/locales';
import { DEFAULT_LOCALE, type Locale } from '../../vocabulary/locales';
import { type DialogState, isUrlButton, MAX_ACTION_BYTES, type Reply } from '../../vocabulary/replies';
import type { Flow, FlowContext, FlowResult } from './flow';
import type { ConversationStore } from './ports';
import type { Services } from './services';
import type { Inbound, InboundEnvelope } from './types';

export interface DialogDeps {
  store: ConversationStore;
  flows: Flow[];
  /** The flow that takes free text when no flow holds the state (e.g. procedure questions). */
  defaultFlow: string;
  /** The flow shown for /start, "menu" and after a cancel. */
  menuFlow: string;
  translator: (locale: Locale) => Translate;
  services: Services;
  clock: Clock;
  logger: Logger;
}

/** The longest text we read from a citizen; anything longer is cut before any flow sees it. */
export const MAX_INBOUND_TEXT = 1000;

export interface Dialog {
  /**
   * Handles one inbound event and returns the replies to send, or null when the event was
   * already handled (a redelivery). A failure a redelivery would not cure is logged and the
   * citizen gets a polite apology. When the event could not be recorded or its handling failed
   * on infrastructure (the database unreachable, a statement timed out: lib/transient), it throws
   * {@link DialogUnavailable} with the event left unrecorded, and the channel answers non-2xx so
   * the event comes again.
   */
  handle(envelope: InboundEnvelope): Promise<Reply[] | null>;
}

/**
 * The event was not handled and is not recorded as handled: answer the channel non-2xx (503) so
 * it delivers the event again. Apologising instead would turn a passing outage into a lost
 * message, since the channel will not resend what it saw acknowledged.
 */
export class DialogUnavailable extends Error {
  constructor(cause: unknown) {
    super('the dialog could not handle the event now; it should be delivered again', { cause });
    this.name = 'DialogUnavailable';
  }
}

/**
 * The dialog engine: Inbound + stored state -> replies + new state.
 *
 * Routing, in order: a deep link or /start; a global command typed as text ("menu", "/help");
 * a button action, addressed to the flow named before its colon; free text for the flow that
 * holds the state (which may pass it on: a sentence where it waited for a code); otherwise free
 * text goes to the default flow.
 */
export function createDialog(deps: DialogDeps): Dialog {
  const flows = new Map(deps.flows.map((f) => [f.name, f]));
  const commands = new Map<string, Flow>();
  const deepLinks = new Map<string, Flow>();
  for (const flow of deps.flows) {
    for (const command of flow.commands ?? []) commands.set(command, flow);
    if (flow.deepLinkPrefix) deepLinks.set(flow.deepLinkPrefix, flow);
  }
  const menu = mustGet(flows, deps.menuFlow);
  const fallback = mustGet(flows, deps.defaultFlow);

  /**
   * A question for the default flow, answered in the language it is written in: an English
   * question in a Vietnamese chat switches the chat to English (and back), with a button to undo
   * it. Only questions switch: a name or an address typed during a step is not evidence.
   */
  async function understandIn(ctx: FlowContext, text: string): Promise<FlowResult> {
    const input: Inbound = { kind: 'text', text };
    const spoken = spokenLanguage(text);
    if (!spoken || spoken === ctx.locale) return fallback.handle(ctx, input);
    const t = ctx.translate(spoken);
    const result = await fallback.handle({ ...ctx, locale: spoken, t }, input);
    const note = { text: t('settings.languageFollowed'), buttons: [[{ label: t('settings.languageUndo'), action: `settings:lang:${ctx.locale}` }]] };
    return { ...result, replies: [...result.replies, note], locale: spoken };
  }

  async function route(ctx: FlowContext, input: Inbound): Promise<FlowResult> {
    switch (input.kind) {
      case 'start': {
        const payload = input.payload ?? '';
        const split = payload.indexOf('_');
        const target = split > 0 ? deepLinks.get(payload.slice(0, split)) : undefined;
        if (target) return target.start(ctx, payload.slice(split + 1));
        return withState(await menu.start(ctx), null);
      }
      case 'text': {
        // A command is either the whole message ("menu", "tro giup") or a slash command with
        // arguments ("/lang en"); anything else is free text for the flow that holds the state.
        const folded = foldVietnamese(input.text);
        const [head = '', ...rest] = folded.split(' ');
        // Only a slash command takes arguments: "tra cuu ho so" typed whole is the command with none
        // (its last words are not a receipt code).
        const whole = commands.get(folded);
        if (whole) return withState(await whole.start(ctx), null);
        const command = folded.startsWith('/') ? commands.get(head) : undefined;
        if (command) return withState(await command.start(ctx, rest.join(' ') || undefined), null);
        const holder = ctx.state ? flows.get(ctx.state.flow) : undefined;
        if (!holder || holder === fallback) return understandIn(ctx, input.text);
        const result = await holder.handle(ctx, input);
        if (!result.pass) return result;
        return withState(await understandIn({ ...ctx, state: null }, input.text), null);
      }
      case 'action': {
        const name = input.action.split(':', 1)[0] ?? '';
        const target = flows.get(name);
        if (!target) return withState(await menu.start(ctx), null);
        return input.action === name ? target.start(ctx) : target.handle(ctx, input);
      }
      case 'contact': {
        const holder = ctx.state ? flows.get(ctx.state.flow) : undefined;
        if (holder) return holder.handle(ctx, input);
        return { replies: [{ text: ctx.t('common.contactUnexpected') }] };
      }
      case 'unsupported':
        // A photo or sticker in the middle of a step keeps the step; the reply still offers a
        // way on, as its text promises ("choose an item below").
        return { replies: [{ text: ctx.t('common.pleaseType'), buttons: [[{ label: ctx.t('menu.backToMenu'), action: menu.name }]] }] };
    }
  }

  return {
    async handle(envelope) {
      const { channel, externalId, updateId } = envelope;
      // Made only when a line is written: most messages log nothing.
      const log = () => deps.logger.child({ channel, updateId });
      let locale: Locale = DEFAULT_LOCALE;
      let recorded = false;
      try {
        const received = await deps.store.receive(channel, externalId, updateId, envelope.displayName);
        if (!received) {
          log().debug('duplicate update ignored');
          return null;
        }
        recorded = true;
        const { identity, state } = received;
        locale = identity.locale;
        const ctx: FlowContext = {
          identity,
          locale: identity.locale,
          t: deps.translator(identity.locale),
          translate: deps.translator,
          now: deps.clock.now(),
          services: deps.services,
          capabilities: CHANNEL_CAPABILITIES[channel],
          state,
          ...(envelope.origin ? { origin: envelope.origin } : {}),
        };
        const result = await route(ctx, clip(envelope.message));
        // Clearing a state that is already clear writes nothing, so it costs no round trip.
        const stateChanged = result.state !== undefined && (result.state !== null || state !== null);
        if (stateChanged || result.locale !== undefined) {
          const next = result.state === undefined ? state : result.state;
          // The default flow's state is only the topic (the procedure just shown): cheap to lose.
          await deps.store.save(identity.id, next, result.locale, { soft: next?.flow === fallback.name });
        }
        for (const reply of result.replies) assertActionsFit(reply);
        return result.replies;
      } catch (error) {
        if (isTransient(error)) await askForRedelivery(channel, recorded ? updateId : undefined, error, log);
        log().error('dialog failed', { error });
        const t = deps.translator(locale);
        return [{ text: t('common.apology'), buttons: [[{ label: t('menu.backToMenu'), action: deps.menuFlow }]] }];
      }
    },
  };

  /**
   * The event's handling failed on infrastructure: forgets its record (`recordedId`, when it got
   * that far) and throws {@link DialogUnavailable}. If even forgetting fails, the redelivery would
   * be taken for a duplicate, so this logs the loss and returns, and the caller apologises instead.
   */
  async function askForRedelivery(channel: ChannelName, recordedId: string | undefined, error: unknown, log: () => Logger): Promise<void> {
    try {
      if (recordedId !== undefined) await deps.store.forget(channel, recordedId);
    } catch (forgetError) {
      log().error('event recorded but not handled, and its record could not be removed: it will not be redelivered', { error: forgetError });
      return;
    }
    log().warn('event failed on infrastructure; asking for redelivery', { error });
    throw new DialogUnavailable(error);
  }
}

function withState(result: FlowResult, state: DialogState | null | undefined): FlowResult {
  return result.state === undefined ? { ...result, state } : result;
}

function clip(message: Inbound): Inbound {
  if (message.kind !== 'text' || message.text.length <= MAX_INBOUND_TEXT) return message;
  return { kind: 'text', text: message.text.slice(0, MAX_INBOUND_TEXT) };
}

const utf8 = new TextEncoder();

/** A programming error (an action too long for Telegram) must fail loudly in tests, not in a citizen's chat. */
function assertActionsFit(reply: Reply): void {
  for (const row of reply.buttons ?? []) {
    for (const button of row) {
      // UTF-8 takes at most three bytes per UTF-16 unit, so a short action needs no encoding.
      if (!isUrlButton(button) && button.action.length * 3 > MAX_ACTION_BYTES && utf8.encode(button.action).length > MAX_ACTION_BYTES) {
        throw new Error(`button action longer than ${MAX_ACTION_BYTES} bytes: ${button.action}`);
      }
    }
  }
}

function mustGet(flows: Map<string, Flow>, name: string): Flow {
  const flow = flows.get(name);
  if (!flow) throw new Error(`flow ${name} is not registered`);
  return flow;
}
