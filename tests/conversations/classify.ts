import { ASPECTS } from '../../knowledge/aspects';
import { DEMO_OFFICE } from '../../knowledge/default-catalog';
import { defaultReferrals } from '../../knowledge/referrals';
import type { Translate } from '../../vocabulary/locales';
import type { SeenReply } from '../contract/drivers/types';

const office = { office: DEMO_OFFICE.name, address: DEMO_OFFICE.address, phone: DEMO_OFFICE.phone, hours: DEMO_OFFICE.openingHours };
const PROCEDURE_ACTION = /^ask:[a-z]:(\d{1,2}\.\d{6}(?:\.[A-Z0-9]+)?)/;

/** The texts that mark an everyday intent's answer, in one language. */
function intentTexts(t: Translate): [string, (r: SeenReply) => boolean][] {
  const is = (text: string) => (r: SeenReply) => r.text === text;
  return [
    ['greeting', (r) => r.text.includes(t('menu.prompt')) && r.buttons[0]?.[0]?.action === 'ask'],
    ['capabilities', (r) => r.title === t('help.title')],
    ['dossier_lookup', (r) => r.text === t('dossier.askCode')],
    ['lost_code', (r) => r.text === t('talk.lostCode', office) || r.text === t('talk.ownDossiers')],
    ...(['thanks', 'goodbye', 'acknowledge', 'praise', 'insult'] as const).map((i): [string, (r: SeenReply) => boolean] => [i, is(t(`talk.${i}`))]),
    ...(['complaint', 'human', 'rate', 'hours', 'address', 'phone', 'weekend'] as const).map((i): [string, (r: SeenReply) => boolean] => [
      i,
      is(t(`talk.${i}`, office)),
    ]),
  ];
}

/**
 * What kind of answer the citizen got, as a line comparable with corpus.describe(): which card or
 * section of which procedure, which intent, which referral, which dossier step. Judged from what
 * the citizen sees (titles, texts, buttons), so it holds on every channel.
 */
export function classify(replies: SeenReply[], translators: Translate[]): string {
  const [first] = replies;
  if (!first) return 'nothing';
  for (const t of translators) {
    for (const [intent, matches] of intentTexts(t)) if (matches(first)) return `intent ${intent}`;
    if (first.text.includes(t('dossier.askPhone'))) return 'dossier ask_digits';
    if (first.text.includes(t('dossier.askDigitsAgain'))) return 'dossier retry_digits';
    if (first.title?.startsWith(t('dossier.card_title', { code: '' }))) return 'dossier card';
    if (ASPECTS.some((aspect) => first.text === `${t('talk.which', { aspect: t(`talk.aspect_${aspect}`) })}`)) return 'which';
    if (first.text === t('ask.notFound', { office: office.office, phone: office.phone })) return 'none';
    if (first.title === t('talk.referralTitle')) {
      const referral = defaultReferrals()
        .list()
        .find((r) => first.text.includes(`«${r.topic}»`) || first.text.includes(`"${r.topicEn}"`));
      return `referral ${referral?.id ?? '?'}`;
    }
    if (first.text === t('ask.chooseOne') || first.text === t('ask.didYouMean')) {
      const codes = first.buttons.flat().flatMap((b) => (b.action?.startsWith('ask:c:') ? [b.action.slice(6)] : []));
      return `choices ${codes.join(' ')}`;
    }
  }
  const code = first.buttons
    .flat()
    .map((b) => PROCEDURE_ACTION.exec(b.action ?? '')?.[1])
    .find(Boolean);
  if (!code) return `unrecognised: ${first.text.slice(0, 80)}`;
  for (const t of translators) {
    for (const aspect of ASPECTS) if (first.text.startsWith(t(`ask.section_${aspect}`))) return `section ${aspect} ${code}`;
  }
  return `card ${code}`;
}

/** Whether the answer seen is the one expected (a choice list must hold the expected codes). */
export function sameAnswer(seen: string, expected: string): boolean {
  if (!expected.startsWith('choices ')) return seen === expected;
  if (!seen.startsWith('choices ')) return false;
  const offered = new Set(seen.split(' ').slice(1));
  return expected
    .split(' ')
    .slice(1)
    .every((code) => offered.has(code));
}
