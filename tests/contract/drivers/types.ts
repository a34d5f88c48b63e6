import type { TestAssistant } from '../../support/assistant';

/** A button as the citizen sees it. */
export interface SeenButton {
  label: string;
  action?: string;
  url?: string;
}

/** One reply as the citizen sees it, whatever the channel: the neutral shape scenarios compare. */
export interface SeenReply {
  title?: string;
  text: string;
  buttons: SeenButton[][];
}

/** One citizen talking to the assistant through a channel. Each call returns the replies it got. */
export interface Citizen {
  start(payload?: string): Promise<SeenReply[]>;
  say(text: string): Promise<SeenReply[]>;
  press(action: string): Promise<SeenReply[]>;
}

/**
 * A channel under contract test. `open()` starts the channel over its own fresh assistant (the
 * database is reachable through `assistant`, for scenarios that need to seed data); `citizen()`
 * makes a new chat each time.
 */
export interface ChannelDriver {
  name: string;
  /** The citizen's name as the channel tells it (greetings use it), when the channel knows one. */
  displayName?: string;
  open(): Promise<void>;
  close(): Promise<void>;
  assistant(): TestAssistant;
  citizen(): Citizen;
}
