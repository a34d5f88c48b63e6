import type { FC } from 'hono/jsx';
import { clip, feeFact, resultWithinADay } from '../../knowledge/facts';
import type { Translate } from '../../vocabulary/locales';
import type { Procedure } from '../../vocabulary/procedure';
import { Badge } from '../components';

/**
 * The fee as the chat reads it (knowledge/facts.ts: the channels' fees first, then the fee field),
 * in one short line for lists: the distinct amounts, or "ask the office" when the chat would say so.
 */
export function feeLine(t: Translate, p: Procedure): string {
  const fee = feeFact(p);
  if (fee.kind === 'ask_office') return t('catalog.feeAsk');
  const amounts = fee.lines.map((l) => {
    if (l.amount.kind === 'free') return t('catalog.feeFree');
    if (l.amount.kind === 'postal_service') return t('catalog.feePostal');
    if (l.amount.kind === 'not_stated') return t('catalog.feeAsk');
    return `${l.amount.text}${l.amount.per}`;
  });
  return clip([...new Set(amounts)].join('; '), 90);
}

/** True when the citizen can apply online (a portal page, or an online channel in the source). */
export const online = (p: Procedure): boolean => p.onlineUrl !== null || p.channels.some((c) => c.channel === 'Trực tuyến');

/** The list's badges: a result the same day, and online application. */
export const ProcedureBadges: FC<{ t: Translate; p: Procedure }> = ({ t, p }) => (
  <>
    {resultWithinADay(p) ? <Badge tone="green">{t('catalog.sameDay')}</Badge> : null}
    {online(p) ? <Badge tone="blue">{t('catalog.online')}</Badge> : null}
    {p.codeStatus === 'secondary_unverified' ? <Badge tone="amber">{t('catalog.status.secondary_unverified')}</Badge> : null}
  </>
);

/** The title a card shows. */
export const titleOf = (p: Procedure): string => p.shortName ?? clip(p.name, 120);
