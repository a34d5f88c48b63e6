import type { ChatIdentity } from '../../domain/messaging/conversations';
import type { ChannelCapabilities } from '../../vocabulary/channels';
import type { Locale, Translate } from '../../vocabulary/locales';
import type { DialogState, Reply } from '../../vocabulary/replies';
import type { Services } from './services';
import type { Inbound } from './types';

export interface FlowContext {
  identity: ChatIdentity;
  locale: Locale;
  t: Translate;
  /** The translator for another language (after the citizen switches language). */
  translate: (locale: Locale) => Translate;
  now: Date;
  services: Services;
  /** The stored state, whichever flow owns it (null when the chat is idle). */
  state: DialogState | null;
  /** What the chat's channel can show (a contact button or not), for wording that depends on it. */
  capabilities: ChannelCapabilities;
  /** Where the message came from, when the channel sees it (InboundEnvelope.origin). */
  origin?: string;
}

/**
 * What a flow decided. `state: undefined` keeps the stored state, `null` clears it; `locale`
 * changes the chat's language from this message on.
 */
export interface FlowResult {
  replies: Reply[];
  state?: DialogState | null;
  locale?: Locale;
  /**
   * The flow holding the state does not take this text (a sentence where it waited for a code):
   * the dialog clears the state and gives the text to the default flow instead. Replies are ignored.
   */
  pass?: true;
}

/**
 * One conversation capability (ask about procedures, look up a dossier, ...). A flow owns the
 * actions that start with `<name>:` and the free text typed while it holds the dialog state.
 *
 * @example
 * const help: Flow = {
 *   name: 'help',
 *   commands: ['/help', 'help', 'tro giup'],
 *   start: async (ctx) => ({ replies: [{ text: ctx.t('help.body') }] }),
 *   handle: async (ctx) => help.start(ctx),
 * };
 */
export interface Flow {
  name: string;
  /** Normalised texts (lower case, no diacritics) that open this flow from anywhere. */
  commands?: string[];
  /** Deep-link payload prefix (`p` for `p_<code>`); the rest of the payload is passed to start. */
  deepLinkPrefix?: string;
  start(ctx: FlowContext, arg?: string): Promise<FlowResult>;
  handle(ctx: FlowContext, input: Inbound): Promise<FlowResult>;
}

/** The flow state helper every flow uses, so the shape stays the same everywhere. */
export function stateOf(flow: string, step: string, data: Record<string, unknown> = {}): DialogState {
  return { flow, step, data };
}
