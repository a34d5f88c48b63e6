import type { Aspect, Intent } from './aspects';
import { foldVietnamese } from './normalize';
import { findReceiptCode } from './receipt-code';
import type { Referral, ReferralTable } from './referrals';
import type { SearchHit, SearchResult } from './search';
import { readTalk, type Talk, type TalkLexicon } from './talk';

/** The procedure the conversation is about: the one whose card or section was shown last. */
export interface Topic {
  code: string;
  name: string;
}

/** What a message asks, decided before anything is looked up in the database. */
export type Understanding =
  /** A receipt code, alone or in a sentence: look the dossier up. */
  | { kind: 'dossier'; code: string }
  /** Everyday talk (thanks, office hours, "talk to a person"...). */
  | { kind: 'intent'; intent: Intent }
  /** A follow-up ("phí bao nhiêu?") with no procedure in the conversation: ask which one. */
  | { kind: 'which'; aspect: Aspect }
  /** One procedure: its first screen, or the section asked about. */
  | { kind: 'procedure'; code: string; aspect: Aspect | null }
  /** A few close procedures to choose from. */
  | { kind: 'choices'; hits: SearchHit[]; aspect: Aspect | null }
  /** A service another authority handles. */
  | { kind: 'referral'; referral: Referral }
  /** Nothing fits; `plausible` says whether it reads like a procedure question worth keeping. */
  | { kind: 'none'; plausible: boolean; best: SearchHit | undefined };

export interface UnderstandDeps {
  search(query: string): SearchResult | Promise<SearchResult>;
  referrals: Pick<ReferralTable, 'get'>;
  talk?: TalkLexicon;
}

/** Courtesies that give way to a question in the same message ("chào em, phí bao nhiêu?"). */
const SOCIAL: ReadonlySet<Intent> = new Set(['greeting', 'thanks', 'goodbye', 'acknowledge', 'praise']);

/**
 * A referral answers a question only when it explains it at least this well, and better than the
 * best procedure by the margin (both scored in one index): a question that merely shares a word
 * with a referral topic keeps its card. Tuned on tests/eval/queries.jsonl (in scope) and tests/eval/outside.jsonl.
 */
const REFERRAL_MIN = 0.5;
const REFERRAL_MARGIN = 0.05;
/** A follow-up may carry this many words of its own ("cho con", "cho vợ") and still be about the topic. */
const FOLLOW_UP_WORDS = 2;
/**
 * Choices are offered only from this score of the best hit, procedure word or not: "xin giấy phép
 * bay flycam" says "giấy phép" and shares nothing else with the catalog.
 */
const CHOICES_SCORE = 0.5;
/**
 * A long message (this many words of its own) is also offered the procedures whose name or
 * keyword it mostly holds (a hit's closeness), from a lower score: every word of context ("hai anh
 * em ruột cãi nhau về ranh giới đất vườn, nhờ xã ... hòa giải") lowers the score, while the
 * questions outside the catalog that reach such scores are short or match a procedure's name only
 * in part ("con vào lớp 6 trường điểm cần hồ sơ gì"). Set on the tuning sets of tests/eval
 * (context.jsonl and fresh.jsonl showed the need) and checked on outside.jsonl.
 */
const LONG_WORDS = 6;
const LONG_SCORE = 0.38;
const LONG_CLOSENESS = 0.52;
/** At most this many of those, and none more than this below the best. */
const LONG_CHOICES = 3;
const LONG_MARGIN = 0.12;
/**
 * A variation of the topic must hold most of its own name: "Đăng ký thường trú" + "còn tạm trú thì
 * sao" matches the residence declaration of people who qualify for neither (0.49 of its name) better
 * than "tạm trú" alone matches the temporary residence asked about, while "kết hôn" + "vợ là người
 * nước ngoài" holds 0.76 of the foreign-element marriage's. Set on tests/conversations/tuning.jsonl.
 */
const VARIANT_CLOSENESS = 0.6;
/** The best hit's score from which an unanswered message shares enough with the catalog to keep. */
const PLAUSIBLE_SCORE = 0.3;

/**
 * Decides what a citizen's message asks, in order: a receipt code anywhere; everyday talk that is
 * the whole message; a follow-up about the topic (the procedure just shown); a service handled
 * elsewhere; a procedure the message names (which changes the topic); a variation of the topic
 * the catalog has as its own procedure ("and if the father is a foreigner?"); else a choice or
 * nothing. The same function answers the dialog and `npm run cli -- search`, so what the CLI
 * reports is what the chat does.
 *
 * @example await understand('phí bao nhiêu?', { code: '1.001193', name: 'Thủ tục đăng ký khai sinh' }, deps)
 * // { kind: 'procedure', code: '1.001193', aspect: 'fee' }
 */
export async function understand(text: string, topic: Topic | null, deps: UnderstandDeps): Promise<Understanding> {
  const code = findReceiptCode(text);
  if (code) return { kind: 'dossier', code };

  const talk = readTalk(text, deps.talk);
  const aspect = talk.aspects[0] ?? null;
  // A courtesy is the answer only when it is the whole message: "rồi" in "bán xe rồi có phải..."
  // and "chào em, phí bao nhiêu?" are questions.
  const informational = talk.intents.find((i) => !SOCIAL.has(i));
  const intent = talk.content.length === 0 && !aspect ? talk.intents[0] : informational;

  if (talk.content.length === 0) {
    if (intent) return { kind: 'intent', intent };
    if (aspect && topic) return { kind: 'procedure', code: topic.code, aspect };
    // "Nộp ở đâu?" before any procedure: the office's address answers it for every procedure.
    if (aspect === 'where') return { kind: 'intent', intent: 'address' };
    if (aspect) return { kind: 'which', aspect };
  }

  const found = await deps.search(text);
  const [top] = found.hits;
  const [chosen] = found.choices;
  const best = found.referral;
  const explains = best !== null && best.score >= REFERRAL_MIN && (!top || best.score >= top.score + REFERRAL_MARGIN);
  const referral = explains ? deps.referrals.get(best.code) : undefined;
  if (referral && !intent) return { kind: 'referral', referral };
  // The topic's name with the new words: "kết hôn" + "vợ là người nước ngoài" finds the
  // foreign-element marriage, a procedure of its own, which the new words alone (they also fit a
  // foreign-element birth) rank lower. It wins when it explains the message at least as well.
  // A message whose own best match is the topic already names it: the topic's name adds nothing.
  const variant = topic && talk.content.length > 0 && top?.code !== topic.code ? await deps.search(`${topic.name} ${talk.content.join(' ')}`) : null;
  const [other] = variant?.decision === 'one' ? variant.choices : [];
  if (other && other.code !== topic?.code && other.score >= (top?.score ?? 0) && other.closeness >= VARIANT_CLOSENESS)
    return { kind: 'procedure', code: other.code, aspect: askedOf(talk, other.name) };
  if (found.decision === 'one' && chosen) return { kind: 'procedure', code: chosen.code, aspect: askedOf(talk, chosen.name) };
  // A question that names procedures well enough to offer them is about them, even when a word of
  // it is also everyday talk ("thẻ bảo hiểm y tế" typed "y te" reads as the complaint "tệ";
  // "register my address" holds "address").
  const offered = offerable(found, talk.content.length);
  if (offered.length > 0 && talk.content.length > FOLLOW_UP_WORDS) return { kind: 'choices', hits: offered, aspect };
  // Talk with a few words of its own that name no procedure: "cho gặp cán bộ tư pháp".
  if (intent) return { kind: 'intent', intent };
  // A follow-up with a word or two of its own ("phí làm cho con bao nhiêu") is still about the
  // topic, unless those words are the whole name of another procedure it may be offered ("còn
  // đăng ký kết hôn thì cần gì" after the single-status certificate).
  const namesAnother = top !== undefined && top.code !== topic?.code && top.closeness >= 1 && offered.length > 0;
  if (topic && aspect && talk.content.length <= FOLLOW_UP_WORDS && !namesAnother) return { kind: 'procedure', code: topic.code, aspect };
  // Close procedures are offered only for a question they explain well enough: choices for "xe
  // buýt số 32 mấy giờ" or "xin giấy phép bay flycam" would be cards that merely share a word.
  if (offered.length > 0) return { kind: 'choices', hits: offered, aspect };
  return { kind: 'none', plausible: talk.cue || (top?.score ?? 0) >= PLAUSIBLE_SCORE, best: top };
}

/**
 * The part of the procedure `name` the message asks about: the first aspect asked by a phrase that
 * is not part of the name itself. "Khai lệ phí trước bạ nhà đất" and "hỗ trợ chi phí mai táng"
 * name procedures (their cards answer them); "lệ phí trước bạ bao nhiêu" still asks the fee.
 */
function askedOf(talk: Talk, name: string): Aspect | null {
  // Most messages ask no part at all: the name (up to 250 characters) is folded only when one does.
  if (talk.aspects.length === 0) return null;
  const named = ` ${foldVietnamese(name)} `;
  return talk.aspects.find((aspect) => (talk.aspectPhrases[aspect] ?? []).some((phrase) => !named.includes(` ${phrase} `))) ?? null;
}

/**
 * The close procedures to offer when none is certain: the search's choices when its best hit
 * explains the message well enough, else, for a long message, the best hits when one of them
 * holds most of its procedure's name or keyword (in the search's order: the closest name is not
 * always the procedure meant).
 */
function offerable(found: SearchResult, words: number): SearchHit[] {
  const [top] = found.hits;
  if (!top || found.decision === 'one') return [];
  if (found.decision === 'several' && top.score >= CHOICES_SCORE) return found.choices;
  if (words < LONG_WORDS) return [];
  const near = found.hits.filter((hit) => hit.score >= LONG_SCORE && top.score - hit.score < LONG_MARGIN).slice(0, LONG_CHOICES);
  return near.some((hit) => hit.closeness >= LONG_CLOSENESS) ? near : [];
}

/** What the citizen is shown, in the CLI's three words: a card, choices, or no procedure at all. */
export function answerOf(understanding: Understanding): 'card' | 'choices' | 'none' {
  if (understanding.kind === 'procedure') return 'card';
  return understanding.kind === 'choices' ? 'choices' : 'none';
}
