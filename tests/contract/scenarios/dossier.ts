import { expect } from 'vitest';
import { callApi } from '../../support/api';
import { createTestToken } from '../../support/tokens';
import type { SeenReply } from '../drivers/types';
import { buttonAction } from './foundation';
import type { Scenario } from './types';

const texts = (replies: SeenReply[]) => replies.map((r) => r.text).join('\n');
let serial = 0;

/** "Tra cứu hồ sơ": the same look-up, card and follow button on every channel. */
export const dossierScenarios: Scenario[] = [
  {
    name: 'dossier look-up: code, last 4 digits, card, then follow',
    async run({ driver, citizen, vi }) {
      const { app, database } = driver.assistant();
      const token = await createTestToken(database.db, 'staff', { officeId: 1 });
      const code = `CT-${driver.name.toUpperCase()}-${++serial}`;
      const created = await callApi(app, 'PUT', `/api/v1/dossiers/${code}`, token, {
        procedureCode: '2.000908',
        procedureName: 'Chứng thực bản sao từ bản chính',
        field: 'Chứng thực',
        applicantName: 'Trần Văn Minh',
        applicantPhone: '0905 246 813',
        channel: 'counter',
        receivedAt: '2026-11-20T08:00:00+07:00',
        dueAt: '2099-11-20T16:30:00+07:00',
      });
      expect(created.status).toBe(201);

      const menu = await citizen.start();
      expect(texts(await citizen.press(buttonAction(menu, vi('menu.dossier'))))).toContain(vi('dossier.askCode'));
      expect(texts(await citizen.say(code.toLowerCase()))).toBe(vi('dossier.askPhone'));
      const wrong = await citizen.say('0000');
      expect(texts(wrong)).toContain(vi('dossier.notFound'));
      await citizen.say(code);
      const card = await citizen.say('6813');
      expect(card[0]?.title).toBe(vi('dossier.card_title', { code }));
      expect(texts(card)).toContain(vi('dossier.card_status', { status: vi('dossier.status_received') }));
      expect(texts(card)).toContain('20/11/2026');
      const followed = await citizen.press(buttonAction(card, vi('dossier.follow')));
      expect(texts(followed)).toContain(vi('dossier.followed', { code }));
      expect(followed.flatMap((r) => r.buttons.flat()).map((b) => b.label)).toContain(vi('dossier.unfollow'));
    },
  },
];
