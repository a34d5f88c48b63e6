import { expect } from 'vitest';
import type { SeenReply } from '../drivers/types';
import type { Scenario } from './types';

const actionsOf = (replies: SeenReply[]) => replies.flatMap((r) => r.buttons.flat().flatMap((b) => (b.action ? [b.action] : [])));
const urlsOf = (replies: SeenReply[]) => replies.flatMap((r) => r.buttons.flat().flatMap((b) => (b.url ? [b.url] : [])));

/** Procedure questions (issue 3): the card, its papers, a deep link, and a question with no answer. */
export const askScenarios: Scenario[] = [
  {
    name: 'answers a procedure question with its card and pages its papers',
    async run({ citizen, vi }) {
      const card = await citizen.say('lam giay khai sinh cho con');
      expect(card).toHaveLength(1);
      expect(card[0]?.title).toBe('Đăng ký khai sinh');
      expect(card[0]?.text).toContain(vi('ask.stepsTime', { time: 'Nhận hồ sơ trước 15 giờ: trả kết quả trong ngày' }));
      expect(card[0]?.text).not.toContain('Tờ khai đăng ký khai sinh');
      expect(actionsOf(card)).toEqual(['ask:d:1.001193:1', 'ask:f:1.001193', 'ask:t:1.001193', 'ask:w:1.001193', 'ask:m:1.001193', 'ask:a:1.001193', 'menu']);
      expect(urlsOf(card)[0]).toMatch(/^https:\/\/dichvucong\.gov\.vn\//);
      // Pages follow the channel's limit; all of them together list the form.
      const pages: string[] = [];
      for (let page = 1; page <= 10; page++) {
        const papers = await citizen.press(`ask:d:1.001193:${page}`);
        pages.push(papers[0]?.text ?? '');
        if (!actionsOf(papers).includes(`ask:d:1.001193:${page + 1}`)) break;
      }
      expect(pages[0]?.startsWith(`${vi('ask.section_papers')} (1/`)).toBe(true);
      expect(pages.join('\n')).toContain('Tờ khai đăng ký khai sinh');
      // Another section from the card's buttons, with its heading.
      const fee = await citizen.press('ask:f:1.001193');
      expect(fee[0]?.text.startsWith(vi('ask.section_fee'))).toBe(true);
    },
  },
  {
    name: 'opens a procedure card from a deep link',
    async run({ driver, citizen }) {
      // Zalo carries no start payload (its QR codes open the web chat link instead).
      if (driver.name === 'zalo') return;
      expect((await citizen.start('p_1-000894'))[0]?.title).toBe('Đăng ký kết hôn');
    },
  },
  {
    name: 'answers a question outside the catalog politely with the office phone',
    async run({ citizen }) {
      const replies = await citizen.say('giá vàng hôm nay');
      expect(replies).toHaveLength(1);
      expect(replies[0]?.text).toMatch(/^Xin lỗi, tôi chưa tìm thấy thủ tục phù hợp/);
      expect(actionsOf(replies)).toEqual(['menu']);
    },
  },
];
