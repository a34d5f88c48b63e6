import type { FC } from 'hono/jsx';
import type { BroadcastReport } from '../../db/schema';
import type { BroadcastProgress } from '../../domain/outreach/broadcasts';
import { formatLocalDateTime } from '../../lib/vn-time';
import type { Translate } from '../../vocabulary/locales';
import { Badge } from '../components';

/** How each status looks as a badge. */
export const STATUS_TONE = { draft: 'neutral', scheduled: 'blue', sending: 'amber', completed: 'green', cancelled: 'red' } as const;

/** Where a broadcast stands, as figures a person reads at a glance; also its share of settled rows. */
export function progressFigures(progress: BroadcastProgress, startedAt: Date | null, now: Date) {
  const settled = progress.sent + progress.failed + progress.blocked + progress.undeliverable + progress.cancelled;
  const total = Math.max(progress.recipients, settled + progress.pending);
  const seconds = startedAt ? Math.max(1, (now.getTime() - startedAt.getTime()) / 1000) : null;
  const rate = seconds && settled > 0 ? settled / seconds : null;
  const waiting = Math.max(0, total - settled);
  return {
    settled,
    total,
    waiting,
    percent: total > 0 ? Math.floor((settled / total) * 100) : progress.status === 'completed' ? 100 : 0,
    rate,
    secondsLeft: rate && waiting > 0 ? Math.ceil(waiting / rate) : null,
  };
}

const duration = (t: Translate, seconds: number) =>
  seconds < 90 ? t('broadcasts.progress.seconds', { count: seconds }) : t('broadcasts.progress.minutes', { count: Math.ceil(seconds / 60) });

/**
 * The live part of a broadcast's page: a progress bar with sent / failed / waiting, the rate and
 * the time left while it sends; the final report once every row is settled. Refreshed every two
 * seconds by the console script while the broadcast is scheduled or sending.
 */
export const ProgressRegion: FC<{
  t: Translate;
  url: string;
  progress: BroadcastProgress;
  startedAt: Date | null;
  sendAt: Date | null;
  report: BroadcastReport | null;
  now: Date;
  /** The session's CSRF token, for the stop button that lives in the region (it goes with the status). */
  csrf: string;
}> = ({ t, url, progress, startedAt, sendAt, report, now, csrf }) => {
  const live = progress.status === 'scheduled' || progress.status === 'sending';
  const f = progressFigures(progress, startedAt, now);
  return (
    <div id="progress" data-refresh-url={live ? url : undefined} data-refresh-seconds="2">
      <h2>{t('broadcasts.progress.title')}</h2>
      <p>
        {t('broadcasts.status')}: <Badge tone={STATUS_TONE[progress.status]}>{t(`broadcasts.statuses.${progress.status}`)}</Badge>
      </p>
      {progress.status === 'draft' ? <p>{t('broadcasts.progress.draft')}</p> : null}
      {progress.status === 'scheduled' && sendAt ? <p>{t('broadcasts.progress.scheduled', { at: formatLocalDateTime(sendAt) })}</p> : null}
      {progress.status !== 'draft' ? (
        <>
          <label for="progress-bar" class="label">
            {t('broadcasts.progress.label', { percent: f.percent, settled: f.settled, total: f.total })}
          </label>
          <progress id="progress-bar" max={Math.max(1, f.total)} value={f.settled}>
            {f.percent}%
          </progress>
          <dl class="summary">
            {(
              [
                ['sent', progress.sent],
                ['failed', progress.failed],
                ['blocked', progress.blocked],
                ['undeliverable', progress.undeliverable],
                ['cancelled', progress.cancelled],
                ['waiting', f.waiting],
              ] as const
            ).map(([key, n]) => (
              <div>
                <dt>{t(`broadcasts.progress.${key}`)}</dt>
                <dd data-figure={key}>{n}</dd>
              </div>
            ))}
            {live && f.rate ? (
              <div>
                <dt>{t('broadcasts.progress.rate')}</dt>
                <dd>
                  {t('broadcasts.progress.perSecond', { rate: f.rate.toFixed(1) })}
                  {f.secondsLeft ? ` · ${t('broadcasts.progress.left', { time: duration(t, f.secondsLeft) })}` : ''}
                </dd>
              </div>
            ) : null}
          </dl>
        </>
      ) : null}
      {report ? (
        <section class="card" aria-labelledby="report-title">
          <h3 id="report-title">{t('broadcasts.report.title')}</h3>
          <p>
            {t('broadcasts.report.summary', {
              recipients: report.recipients,
              sent: report.sent,
              failed: report.failed + report.blocked + report.undeliverable,
            })}
          </p>
          {report.ratePerSecond ? <p>{t('broadcasts.progress.perSecond', { rate: report.ratePerSecond })}</p> : null}
          <table class="responsive">
            <caption class="visually-hidden">{t('broadcasts.report.byChannel')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('broadcasts.report.channel')}</th>
                {(['sent', 'failed', 'blocked', 'undeliverable', 'cancelled'] as const).map((k) => (
                  <th scope="col">{t(`broadcasts.progress.${k}`)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {Object.entries(report.byChannel).map(([channel, row]) => (
                <tr>
                  <th scope="row">{t(`broadcasts.channels.${channel}`)}</th>
                  {(['sent', 'failed', 'blocked', 'undeliverable', 'cancelled'] as const).map((k) => (
                    <td data-label={t(`broadcasts.progress.${k}`)}>{row[k]}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {live ? (
        <form method="post" action={url.replace(/\/progress$/, '/cancel')}>
          <input type="hidden" name="_csrf" value={csrf} />
          <button type="submit" class="warning">
            {t('broadcasts.cancel')}
          </button>
        </form>
      ) : null}
    </div>
  );
};
