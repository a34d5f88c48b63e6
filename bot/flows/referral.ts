import type { Referral } from '../../knowledge/referrals';
import type { Button, Reply } from '../../vocabulary/replies';
import type { FlowContext } from '../core/flow';
import { backToMenu } from './menu';

/**
 * "Not handled at this office": the authority that handles it, its online channel and portal
 * where the table names them, and the table's source. An unconfirmed row says so.
 */
export function referralReply(ctx: FlowContext, referral: Referral): Reply {
  const { t } = ctx;
  const en = ctx.locale === 'en';
  const topic = en ? referral.topicEn : referral.topic;
  const authority = en ? referral.authorityEn : referral.authority;
  const parts = [t(referral.handledAtCommune === 'partly' ? 'talk.referralPartly' : 'talk.referral', { topic, authority })];
  if (referral.online) parts.push(t('talk.referralOnline', { online: referral.online }));
  if (!referral.confirmed) parts.push(t('talk.referralUnconfirmed'));
  const [source] = referral.sources;
  if (source) parts.push(t('talk.referralSource', { title: source.title }));
  parts.push(t('talk.referralAskMore'));
  const portal: Button[] = referral.portal ? [{ label: t('talk.referralPortal'), url: referral.portal }] : [];
  return { title: t('talk.referralTitle'), text: parts.join('\n\n'), buttons: [...(portal.length ? [portal] : []), backToMenu(ctx)] };
}
