import { Hono } from 'hono';
import { isTransient } from '../lib/transient';
import { ASSET_VERSION, ASSETS } from './assets';
import type { ConsoleDeps, ConsoleEnv } from './context';
import { accountPages } from './pages/accounts';
import { auditPages } from './pages/audit';
import { broadcastPages } from './pages/broadcasts';
import { catalogPages } from './pages/catalog';
import { certificationPages } from './pages/certification';
import { citizensPages } from './pages/citizens';
import { dossierPages } from './pages/dossiers';
import { homePages } from './pages/home';
import { officePages } from './pages/offices';
import { signInPages } from './pages/sign-in';
import { statsPages } from './pages/stats';
import { telephonePages } from './pages/telephone';
import { tokenPages } from './pages/tokens';
import { renderProblem, renderRefusal } from './render';
import { consoleContext, createGuards } from './session';

/**
 * The staff console under /console: server-rendered pages that call the same domain functions as
 * the API, so a rule holds in both. Every page works without JavaScript.
 */
export function createConsoleRoutes(deps: ConsoleDeps) {
  const routes = new Hono<ConsoleEnv>();
  const guards = createGuards(renderRefusal);

  // Assets need no session and change only with their version (in the link), so they are cached long.
  routes.get('/assets/:name', (c) => {
    const asset = ASSETS[c.req.param('name') as keyof typeof ASSETS];
    if (!asset) return c.text('Not found', 404);
    const versioned = c.req.query('v') === ASSET_VERSION;
    return c.body(asset.body, 200, { 'Content-Type': asset.type, 'Cache-Control': versioned ? 'public, max-age=31536000, immutable' : 'no-cache' });
  });

  routes.use(consoleContext(deps));
  routes.route('/', signInPages(deps, guards));
  routes.route('/', homePages(deps, guards));
  routes.route('/', accountPages(deps, guards));
  routes.route('/', broadcastPages(deps, guards));
  routes.route('/', tokenPages(deps, guards));
  routes.route('/', auditPages(deps, guards));
  routes.route('/', citizensPages(deps, guards));
  routes.route('/', certificationPages(deps, guards));
  routes.route('/', telephonePages(deps, guards));
  routes.route('/', catalogPages(deps, guards));
  routes.route('/', officePages(deps, guards));
  routes.route('/', dossierPages(deps, guards));
  routes.route('/', statsPages(deps, guards));

  // Last: any other path under /console is a page that does not exist (in the console's own
  // words); a signed-out visitor is sent to sign in first, so no one learns which pages exist.
  routes.all('*', guards.session(), (c) => renderProblem(c, 404, 'common.problem.notFoundTitle', 'common.problem.notFound'));
  routes.onError((error, c) => {
    // The failure may come before the language was read (the session look-up, for instance).
    if (!c.get('t')) {
      c.set('locale', 'vi');
      c.set('t', deps.translator('vi'));
    }
    if (isTransient(error)) {
      deps.logger.warn('console request failed on infrastructure', { error, path: c.req.path, requestId: c.get('requestId') });
      c.header('Retry-After', '5');
      return renderProblem(c, 503, 'common.problem.unavailableTitle', 'common.problem.unavailable');
    }
    deps.logger.error('console page failed', { error, path: c.req.path, requestId: c.get('requestId') });
    return renderProblem(c, 500, 'common.problem.errorTitle', 'common.problem.error');
  });
  return routes;
}
