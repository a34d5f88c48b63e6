import { Hono } from 'hono';
import { queueCounts } from '../../domain/certification/requests';
import { dueCounts } from '../../domain/dossiers/due';
import { formatLocalDate } from '../../lib/vn-time';
import { Notice } from '../components';
import { type ConsoleBase, type ConsoleEnv, signedIn } from '../context';
import { CONSOLE } from '../paths';
import { renderPage } from '../render';
import type { Guards } from '../session';

/** The counter's first page of the day: what is waiting, what is due, what is late, and where to go for each. */
export function homePages(deps: ConsoleBase, guards: Guards) {
  const routes = new Hono<ConsoleEnv>();
  routes.get('/', guards.role('staff', 'official', 'admin'), async (c) => {
    const t = c.get('t');
    const { actor } = signedIn(c);
    const now = deps.clock.now();
    const counter = actor.role !== 'official';
    const [queue, due] = await Promise.all([counter ? queueCounts(deps.db, actor) : null, dueCounts(deps.db, actor, now)]);
    const numbers = [
      ...(queue
        ? [
            { figure: queue.submitted, label: t('home.waiting'), href: `${CONSOLE}/certification?status=submitted` },
            { figure: queue.confirmed, label: t('home.confirmed'), href: `${CONSOLE}/certification?status=confirmed` },
            { figure: queue.ready, label: t('home.ready'), href: `${CONSOLE}/certification?status=ready` },
          ]
        : []),
      { figure: due.dueToday, label: t('home.dueToday'), href: `${CONSOLE}/dossiers?due=today` },
      { figure: due.overdue, label: t('home.overdue'), href: `${CONSOLE}/dossiers?due=overdue` },
    ];
    return renderPage(c, {
      title: t('home.title', { name: actor.name }),
      notice: c.req.query('done') === 'password' ? <Notice kind="success">{t('home.passwordChanged')}</Notice> : undefined,
      body: (
        <>
          <p class="lead">{t('home.today', { date: formatLocalDate(now) })}</p>
          <ul class="numbers">
            {numbers.map((n) => (
              <li>
                <span class="figure">{n.figure}</span>
                <a href={n.href}>{n.label}</a>
              </li>
            ))}
          </ul>
          {counter ? (
            <>
              <h2>{t('home.tasks')}</h2>
              <ul>
                <li>
                  <a href={`${CONSOLE}/telephone`}>{t('home.takeCall')}</a>
                </li>
                <li>
                  <a href={`${CONSOLE}/citizens`}>{t('home.registerCitizen')}</a>
                </li>
                <li>
                  <a href={`${CONSOLE}/dossiers/import`}>{t('home.importRegister')}</a>
                </li>
              </ul>
            </>
          ) : null}
        </>
      ),
    });
  });
  return routes;
}
