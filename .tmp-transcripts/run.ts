import { createTestAssistant } from '../tests/support/assistant';
import { callApi } from '../tests/support/api';
import { createTestToken } from '../tests/support/tokens';
import { isUrlButton, type Reply } from '../vocabulary/replies';

const assistant = await createTestAssistant();
assistant.clock.set('2026-11-23T03:00:00Z');
const staff = await createTestToken(assistant.database.db, 'staff', { officeId: 1 });
const res = await callApi(assistant.app, 'PUT', '/api/v1/dossiers/HS-2026-000123', staff, {
  procedureCode: '1.000894', field: 'Hộ tịch', applicantName: 'Phạm Minh Tuấn', applicantPhone: '0912 345 678', channel: 'counter',
  receivedAt: '2026-11-20T08:00:00+07:00', dueAt: '2026-11-26T16:00:00+07:00',
});
if (res.status !== 201) throw new Error(`dossier ${res.status}`);

const conversations: [string, string[]][] = [
  ['Follow-ups about the card just shown', ['làm giấy khai sinh cho con', 'phí bao nhiêu?', 'cần mang gì?', 'làm online được không?', 'mất bao lâu']],
  ['Everyday talk', ['alo có ai không', 'thứ 7 có làm việc không', 'cho gặp người thật', 'đồ vô dụng', 'cảm ơn nhé']],
  ['A receipt code in a sentence', ['tra cuu ho so', 'cho tôi hỏi hồ sơ HS-2026-000123 đến đâu rồi', '1234', '5678']],
  ['Outside the catalog', ['làm hộ chiếu cho con ở đâu', 'sang tên xe máy', 'người nước ngoài đăng ký tạm trú']],
  ['English without /lang', ['How much does it cost to register a birth?', 'how long does it take?', 'thanks']],
];
const show = (r: Reply) => {
  const buttons = (r.buttons ?? []).flat().map((b) => `[${b.label}]`).join(' ');
  return `${r.title ? `**${r.title}**\n` : ''}${r.text}${buttons ? `\n${buttons}` : ''}`;
};
let n = 0;
for (const [name, lines] of conversations) {
  console.log(`\n### ${name}\n`);
  const chat = `t-${++n}`;
  for (const line of lines) {
    const replies = (await assistant.dialog.handle({ channel: 'web', externalId: chat, message: { kind: 'text', text: line } })) ?? [];
    console.log(`> **Citizen:** ${line}\n`);
    for (const r of replies) console.log(show(r).split('\n').map((l) => `    ${l}`).join('\n') + '\n');
  }
}
await assistant.close();
