import { Hono } from 'hono';
import { findCitizen, findDocument } from '../../domain/certification/documents';
import { requestRef } from '../../domain/certification/requests';
import { retireDocument } from '../../domain/certification/retire-document';
import { storedFileHeaders } from '../../lib/stored-file';
import { Notice } from '../components';
import type { ConsoleContext, ConsoleDeps, ConsoleEnv } from '../context';
import { signedIn } from '../context';
import { Csrf } from '../layout';
import { renderPage, renderProblem } from '../render';
import type { Guards } from '../session';
import { citizenPath, documentPath, kindLabel, pathId, visibleTo } from './citizens-view';

/** The citizen and one of their papers, when the paper is kept by the actor's office. */
async function findVisible(c: ConsoleContext, deps: ConsoleDeps) {
  const citizenId = pathId(c.req.param('id'));
  const documentId = pathId(c.req.param('documentId'));
  if (!citizenId || !documentId) return null;
  const [citizen, doc] = await Promise.all([findCitizen(deps.db, { id: citizenId }), findDocument(deps.db, citizenId, documentId)]);
  if (!citizen || !doc || !visibleTo(signedIn(c).actor)(doc)) return null;
  return { citizen, doc };
}

const notFound = (c: ConsoleContext) => renderProblem(c, 404, 'common.problem.notFoundTitle', 'common.problem.notFound');

/** One stored paper: its file shown in the browser, and retiring it (a confirmation page, then the post). */
export function citizenDocumentPages(deps: ConsoleDeps, guards: Guards) {
  const routes = new Hono<ConsoleEnv>();
  const counter = guards.role('staff', 'admin');
  const paper = '/citizens/:id{[0-9]+}/documents/:documentId{[0-9]+}';

  // Shown inline (an <img> on the citizen's page, a PDF in its own tab) under the stored file's
  // own headers: its sniffed type, nosniff, and a policy that lets nothing in it run.
  routes.get(`${paper}/file`, counter, async (c) => {
    const found = await findVisible(c, deps);
    if (!found) return notFound(c);
    const bytes = await deps.certification.blobs.get(found.doc.blobKey);
    if (!bytes) return renderProblem(c, 404, 'common.problem.notFoundTitle', 'citizens.fileMissing');
    return c.body(new Uint8Array(bytes), 200, storedFileHeaders(found.doc, true));
  });

  const confirmPage = (c: ConsoleContext, found: NonNullable<Awaited<ReturnType<typeof findVisible>>>, inUse?: number[]) => {
    const t = c.get('t');
    const { citizen, doc } = found;
    return renderPage(c, {
      title: t('citizens.retire.title'),
      status: inUse ? 409 : 200,
      notice: inUse ? <Notice kind="warning">{t('citizens.retire.inUse', { refs: inUse.map(requestRef).join(', ') })}</Notice> : undefined,
      body: (
        <>
          <p class="lead">{t('citizens.retire.explain', { label: doc.title, kind: kindLabel(t, doc.kind), name: citizen.fullName ?? t('citizens.noName') })}</p>
          {doc.contentType.startsWith('image/') ? (
            <p>
              <img src={`${documentPath(doc)}/file`} alt={t('citizens.documents.imageAlt', { label: doc.title })} class="scan-thumb" />
            </p>
          ) : null}
          <form method="post" action={`${documentPath(doc)}/retire`}>
            <Csrf c={c} />
            <div class="actions">
              {inUse ? null : (
                <button type="submit" class="warning">
                  {t('citizens.retire.submit')}
                </button>
              )}
              <a href={citizenPath(citizen.id)} class="button secondary">
                {t('citizens.retire.back')}
              </a>
            </div>
          </form>
        </>
      ),
    });
  };

  routes.get(`${paper}/retire`, counter, async (c) => {
    const found = await findVisible(c, deps);
    return found ? confirmPage(c, found) : notFound(c);
  });

  routes.post(`${paper}/retire`, counter, async (c) => {
    const found = await findVisible(c, deps);
    if (!found) return notFound(c);
    const ref = { citizenId: found.citizen.id, documentId: found.doc.id };
    const retired = await retireDocument(deps.db, deps.certification.blobs, signedIn(c).actor, ref, deps.clock.now());
    if (retired.ok) return c.redirect(`${citizenPath(found.citizen.id)}?done=retired#documents`, 303);
    // Another clerk retired it a moment ago: the citizen's page shows how things stand now.
    if (retired.reason === 'not_found') return c.redirect(`${citizenPath(found.citizen.id)}#documents`, 303);
    return confirmPage(c, found, retired.requestIds ?? []);
  });

  return routes;
}
