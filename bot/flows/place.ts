import type { AreaChoice, ChatOffice } from '../../domain/catalog/chat-office';
import type { Area } from '../../domain/messaging/notification-settings';
import type { Button, Reply } from '../../vocabulary/replies';
import type { FlowContext, FlowResult } from '../core/flow';
import { fresh, topicOf } from './ask-state';
import { backToMenu } from './menu';

/**
 * "Which commune or ward do you live in?": asked once, the first time an answer would name an
 * office (its address, hours, phone, same-day day) in a deployment of several offices. The part
 * of the answer that needs no office is given first; the rest (`then`, an ask action) follows as
 * soon as the citizen names their commune/ward, typed forgivingly or picked from a short list
 * (`ask:p:<area code>`). The conversation's topic is kept meanwhile.
 */

/** The action of picking an area from the list (area codes are at most 32 characters: 38 bytes). */
const areaAction = (code: string): string => `ask:p:${code}`;

/** The communes/wards as buttons, one a row. */
export const areaButtons = (areas: readonly Area[]): Button[][] => areas.map((a) => [{ label: a.name, action: areaAction(a.code) }]);

/** The question, after `lead` when given, with the communes/wards as buttons when there are only a few. */
export function askPlace(ctx: FlowContext, where: Extract<ChatOffice, { kind: 'ask' }>, then: string, lead?: string): FlowResult {
  const text = lead ? `${lead}\n\n${ctx.t('place.ask')}` : ctx.t('place.ask');
  return { replies: [{ text, buttons: [...areaButtons(where.few), backToMenu(ctx)] }], state: placeState(ctx, then) };
}

/** The pending question's state: what to answer once the place is known, and the topic kept. */
export const placeState = (ctx: FlowContext, then: string, topic = topicOf(ctx)) => fresh(ctx, 'place', { ...(topic ?? {}), then });

/** The list to pick from after a typed name: the matches, or the closest names when nothing matched. */
export function offerAreas(ctx: FlowContext, areas: readonly Area[], matched: boolean, typed: string): Reply {
  const text = matched ? ctx.t('settings.areaPick') : ctx.t('settings.areaClosest', { typed: typed.trim().slice(0, 60) });
  return { text, buttons: [...areaButtons(areas), backToMenu(ctx)] };
}

/** What the citizen hears when their commune/ward is recorded: the office that serves it, or that none does yet. */
export function placeSet(ctx: FlowContext, chosen: AreaChoice): Reply {
  if (!chosen.office) return { text: ctx.t('place.noOffice', { area: chosen.area.name }) };
  return { text: ctx.t('place.set', { area: chosen.area.name, office: chosen.office.name }) };
}
