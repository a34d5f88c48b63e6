import type { Topic } from '../../knowledge/understand';
import type { DialogState } from '../../vocabulary/replies';
import { type FlowContext, stateOf } from '../core/flow';

/**
 * The ask flow's stored state, shared by the modules that answer in its name (ask, talk, place).
 * Steps: `topic` (the procedure just shown), `offered` (close procedures were offered to choose
 * from: `codes`), `which` (a follow-up waits for the procedure it is about; `codes` are those offered
 * just before, if any), `place` (the citizen was asked their commune/ward; `then` is the answer to
 * give once they say it, and the topic, if any, is kept beside it).
 */
type AskStep = 'topic' | 'offered' | 'which' | 'place';

/**
 * How long the procedure just shown stays the topic of follow-ups ("phí bao nhiêu?"). Kept in the
 * stored dialog state with the time it was shown, so whichever process takes the next message
 * knows it; after this the citizen has moved on, and a bare follow-up asks which procedure.
 */
const TOPIC_MINUTES = 30;

/** A fresh state of the ask flow, stamped with the time it was saved. */
export const fresh = (ctx: FlowContext, step: AskStep, data: Record<string, unknown>): DialogState =>
  stateOf('ask', step, { ...data, at: ctx.now.toISOString() });

/** The stored state of the ask flow at `step`, if it is younger than `minutes`. */
export function current(ctx: FlowContext, step: AskStep, minutes = TOPIC_MINUTES): Record<string, unknown> | null {
  const state = ctx.state;
  if (state?.flow !== 'ask' || state.step !== step || typeof state.data.at !== 'string') return null;
  const age = ctx.now.getTime() - Date.parse(state.data.at);
  return age >= 0 && age <= minutes * 60_000 ? state.data : null;
}

/** The procedure the conversation is about, if one was shown in the last TOPIC_MINUTES (a pending place question keeps it). */
export function topicOf(ctx: FlowContext): Topic | null {
  const data = current(ctx, 'topic') ?? current(ctx, 'place');
  return data && typeof data.code === 'string' && typeof data.name === 'string' ? { code: data.code, name: data.name } : null;
}

/** The state that keeps the topic (or clears the state when there is none). */
export const topicState = (ctx: FlowContext, topic: Topic | null): DialogState | null => (topic ? fresh(ctx, 'topic', { ...topic }) : null);
