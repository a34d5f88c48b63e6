import type { NotificationChange, NotificationView } from '../../domain/messaging/notification-settings';
import { LOCALES, type Locale } from '../../vocabulary/locales';
import { REMINDER_SWITCHES, type ReminderSwitch, TOPICS } from '../../vocabulary/notices';
import type { Button, Reply } from '../../vocabulary/replies';
import type { Flow, FlowContext, FlowResult } from '../core/flow';
import { stateOf } from '../core/flow';
import { backToMenu, menuReply } from './menu';

const isLocale = (value: string | undefined): value is Locale => (LOCALES as readonly (string | undefined)[]).includes(value);
const isSwitch = (value: string | undefined): value is ReminderSwitch => (REMINDER_SWITCHES as readonly (string | undefined)[]).includes(value);
const isTopic = (value: string | undefined): value is (typeof TOPICS)[number] => (TOPICS as readonly (string | undefined)[]).includes(value);

const back = (ctx: FlowContext): Button[] => [{ label: ctx.t('settings.buttonBack'), action: 'settings:main' }];

/**
 * The settings page: language, the office that serves the chat (when it has said or shown which),
 * then what the citizen hears about and how to pause it all.
 */
function main(ctx: FlowContext, view: NotificationView, notice?: string, office?: { name: string } | null): Reply {
  const { t } = ctx;
  const status = [
    t('settings.current'),
    ...(office ? [t('settings.statusOffice', { name: office.name })] : []),
    '',
    t('settings.notifications'),
    ...(view.stopped ? [t('settings.statusStopped')] : []),
    view.area ? t('settings.statusArea', { name: view.area.name }) : t('settings.statusNoArea'),
    view.topics.length
      ? t('settings.statusTopics', { topics: view.topics.map((name) => t(`settings.topic_${name}`)).join(', ') })
      : t('settings.statusNoTopics'),
  ];
  return {
    title: t('settings.title'),
    text: [...(notice ? [notice, ''] : []), ...status, '', t('settings.chooseLanguage')].join('\n'),
    buttons: [
      [
        { label: 'Tiếng Việt', action: 'settings:lang:vi' },
        { label: 'English', action: 'settings:lang:en' },
      ],
      [{ label: t('settings.buttonReminders'), action: 'settings:reminders' }],
      [
        { label: t('settings.buttonArea'), action: 'settings:area' },
        { label: t('settings.buttonTopics'), action: 'settings:topics' },
      ],
      [view.stopped ? { label: t('settings.buttonResume'), action: 'settings:resume' } : { label: t('settings.buttonStop'), action: 'settings:stop' }],
      backToMenu(ctx),
    ],
  };
}

/** The office the chat has said or shown (none shown for a chat that has not, even in a one-office deployment). */
async function ownOffice(ctx: FlowContext): Promise<{ name: string } | null> {
  if (ctx.identity.officeId === null) return null;
  return ctx.services.offices.byId(ctx.identity.officeId);
}

function reminders(ctx: FlowContext, view: NotificationView, notice?: string): Reply {
  const { t } = ctx;
  return {
    text: [...(notice ? [notice] : []), t('settings.remindersIntro')].join('\n'),
    buttons: [
      ...REMINDER_SWITCHES.map((kind) => {
        const off = view.muted.includes(kind);
        return [{ label: `${off ? '⬜' : '✅'} ${t(`settings.kind_${kind}`)}`, action: `settings:${off ? 'unmute' : 'mute'}:${kind}` }];
      }),
      back(ctx),
    ],
  };
}

function topics(ctx: FlowContext, view: NotificationView): Reply {
  const { t } = ctx;
  return {
    text: t('settings.topicsIntro'),
    buttons: [
      ...TOPICS.map((name) => {
        const on = view.topics.includes(name);
        return [{ label: `${on ? '✅' : '⬜'} ${t(`settings.topic_${name}`)}`, action: `settings:topic:${on ? 'off' : 'on'}:${name}` }];
      }),
      back(ctx),
    ],
  };
}

/** What /stop answers; the same from the settings page and from a broadcast's stop button. */
async function stopAll(ctx: FlowContext): Promise<FlowResult> {
  await ctx.services.notifications.change(ctx.identity, { stopped: true });
  return {
    replies: [{ text: ctx.t('settings.stopped'), buttons: [[{ label: ctx.t('settings.buttonResume'), action: 'settings:resume' }], backToMenu(ctx)] }],
    state: null,
  };
}

async function change(ctx: FlowContext, what: NotificationChange): Promise<NotificationView> {
  return (await ctx.services.notifications.change(ctx.identity, what)) ?? ctx.services.notifications.view(ctx.identity);
}

/** The buttons under every message of the area step: clear the area (when one is set), back to settings. */
const areaStepButtons = (ctx: FlowContext, view: NotificationView): Button[][] => [
  ...(view.area ? [[{ label: ctx.t('settings.areaClear'), action: 'settings:area:clear' }]] : []),
  back(ctx),
];

/**
 * The area step: the citizen types a commune/ward name and picks among the matches, or among the
 * closest names when none matches (a typo); the step stays open to type again either way.
 */
async function pickArea(ctx: FlowContext, typed: string): Promise<FlowResult> {
  const { t } = ctx;
  const [found, view] = await Promise.all([ctx.services.notifications.findAreas(typed), ctx.services.notifications.view(ctx.identity)]);
  const shown = { typed: typed.trim().slice(0, 60) };
  const text = found.areas.length === 0 ? t('settings.areaNoMatch', shown) : found.matched ? t('settings.areaPick') : t('settings.areaClosest', shown);
  const choices = found.areas.map((area) => [{ label: area.name, action: `settings:area:set:${area.code}` }]);
  return { replies: [{ text, buttons: [...choices, ...areaStepButtons(ctx, view)] }] };
}

function askArea(ctx: FlowContext, view: NotificationView): FlowResult {
  const { t } = ctx;
  const current = view.area ? `${t('settings.statusArea', { name: view.area.name })}\n` : '';
  return { replies: [{ text: `${current}${t('settings.areaAsk')}`, buttons: areaStepButtons(ctx, view) }], state: stateOf('settings', 'area') };
}

/**
 * Chat settings: the language, reminder switches per kind, the citizen's commune/ward and
 * announcement topics, and pausing everything (/stop) or resuming it. Settings follow the
 * citizen across their linked chats.
 */
export const settingsFlow: Flow = {
  name: 'settings',
  commands: ['/settings', '/lang', 'cai dat', 'settings', 'ngon ngu', 'language'],
  start: async (ctx, arg) => {
    const wanted = arg?.trim();
    if (isLocale(wanted)) return switchTo(ctx, wanted);
    return { replies: [main(ctx, await ctx.services.notifications.view(ctx.identity), undefined, await ownOffice(ctx))], state: null };
  },
  handle: async (ctx, input) => {
    const { t } = ctx;
    if (input.kind === 'text' && ctx.state?.step === 'area') return pickArea(ctx, input.text);
    if (input.kind !== 'action') return settingsFlow.start(ctx);
    const [, what, a, b] = input.action.split(':');
    switch (what) {
      case 'lang':
        if (isLocale(a)) return switchTo(ctx, a);
        break;
      case 'reminders':
        return { replies: [reminders(ctx, await ctx.services.notifications.view(ctx.identity))], state: null };
      case 'mute':
      case 'unmute':
        if (isSwitch(a)) {
          const view = await change(ctx, { mute: { kind: a, off: what === 'mute' } });
          const name = t(`settings.kind_${a}`);
          return { replies: [reminders(ctx, view, t(what === 'mute' ? 'settings.reminderOff' : 'settings.reminderOn', { name }))], state: null };
        }
        break;
      case 'topics':
        return { replies: [topics(ctx, await ctx.services.notifications.view(ctx.identity))], state: null };
      case 'topic':
        if ((a === 'on' || a === 'off') && isTopic(b))
          return { replies: [topics(ctx, await change(ctx, { topic: { name: b, subscribed: a === 'on' } }))], state: null };
        break;
      case 'area':
        if (a === 'set' && b) {
          // The commune/ward also decides the office that serves the chat (place.ts asks the same).
          const chosen = await ctx.services.offices.chooseArea(ctx.identity, b);
          if (chosen) {
            const said = [t('settings.areaSet', { name: chosen.area.name }), ...(chosen.office ? [t('settings.officeSet', { name: chosen.office.name })] : [])];
            const office = chosen.office ?? (await ownOffice(ctx));
            return { replies: [main(ctx, await ctx.services.notifications.view(ctx.identity), said.join('\n'), office)], state: null };
          }
        }
        if (a === 'clear') return { replies: [main(ctx, await change(ctx, { area: null }), t('settings.areaCleared'))], state: null };
        return askArea(ctx, await ctx.services.notifications.view(ctx.identity));
      case 'stop':
        return stopAll(ctx);
      case 'resume':
        return { replies: [main(ctx, await change(ctx, { stopped: false }), t('settings.resumed'))], state: null };
    }
    return settingsFlow.start(ctx);
  },
};

/**
 * /stop, "dừng", "stop": pauses every notice and reminder; answers to the citizen's own requests
 * still come. Settings (or the button under this answer) resume them.
 */
export const stopFlow: Flow = {
  name: 'stop',
  commands: ['/stop', 'stop', 'dung', 'dung lai', 'ngung', 'ngung nhan tin', 'huy dang ky'],
  start: stopAll,
  handle: stopAll,
};

function switchTo(ctx: FlowContext, locale: Locale): FlowResult {
  const t = ctx.translate(locale);
  const next = { ...ctx, locale, t };
  return { replies: [{ text: t('settings.languageChanged') }, menuReply(next, false)], locale, state: null };
}
