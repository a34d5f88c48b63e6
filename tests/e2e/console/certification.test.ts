import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { createTranslator } from '../../../bot/locales';
import { identities } from '../../../db/schema';
import { formatVnd } from '../../../domain/certification/fees';
import { createRequest, requestRef } from '../../../domain/certification/requests';
import { NATIONAL_COPY_FEES } from '../../../vocabulary/settings';
import { latestCode, seedCitizen, seedOffice, TEST_SECRET, uniquePhone } from '../../support/certification';
import { createStaffAccount, describeInBrowser, expectAccessible, screenshots, signInWithBrowser, signInWithHttp, useBrowserRig } from '../../support/console';

const citizenText = createTranslator()('vi');

const rig = useBrowserRig();

/** The newest assistant message in the citizen's web chat. */
const lastBot = (chat: Page) => chat.locator('.msg.bot').last().textContent();

describeInBrowser('certification queue and telephone requests in a real browser', () => {
  it('confirms a request made in the web chat, rejects one with a reason, and the citizen reads both in that chat', async () => {
    const db = rig.assistant.database.db;
    const office = await seedOffice(db, 'UBND phường Bến Thành');
    const phone = uniquePhone();
    const { citizen, documents } = await seedCitizen(db, {
      phone: phone.e164,
      officeId: office,
      documents: [
        { title: 'Giấy khai sinh', pages: 2 },
        { title: 'Bằng tốt nghiệp THPT', pages: 1 },
      ],
    });

    // The citizen asks in the web chat, proving the phone with the code the development sender queued.
    const chat = await (await rig.browser.newContext()).newPage();
    await chat.goto(rig.server.base);
    await expect.poll(() => chat.locator('.msg.bot').first().textContent()).toContain('Xin chào');
    await chat.getByRole('button', { name: '🖨️ Chứng thực bản sao' }).last().click();
    await expect.poll(() => lastBot(chat)).toContain('số điện thoại');
    await chat.fill('#text', phone.typed);
    await chat.press('#text', 'Enter');
    await expect.poll(() => lastBot(chat)).toContain('mã xác thực');
    await chat.fill('#text', String(await latestCode(db, TEST_SECRET, phone.e164)));
    await chat.press('#text', 'Enter');
    await expect.poll(() => chat.locator('.msg.bot').allTextContents()).toContainEqual(expect.stringContaining('Giấy tờ của Anh/Chị đang được lưu trữ'));
    await chat
      .getByRole('button', { name: /Giấy khai sinh/ })
      .last()
      .click();
    await chat.getByRole('button', { name: '➡️ Tiếp tục' }).last().click();
    await chat.getByRole('button', { name: '2', exact: true }).last().click();
    await chat.getByRole('button', { name: '🏢 Nhận tại Bộ phận một cửa' }).last().click();
    await chat.getByRole('button', { name: '✅ Gửi yêu cầu' }).last().click();
    await expect.poll(() => lastBot(chat)).toMatch(/Đã gửi yêu cầu CT-\d{6}/);
    const ref = /CT-\d{6}/.exec((await lastBot(chat)) ?? '')?.[0] ?? '';
    const id = Number(ref.slice(3));

    // A second request of the same citizen from the same chat, to be rejected.
    const [identity] = await db.select().from(identities).where(eq(identities.citizenId, citizen.id));
    const now = rig.assistant.clock.now();
    const second = await db.transaction((tx) =>
      createRequest(tx, NATIONAL_COPY_FEES, {
        citizenId: citizen.id,
        identityId: identity?.id ?? null,
        items: [{ documentId: documents[1]?.id ?? 0, copies: 1 }],
        delivery: { method: 'post', address: '45 Lý Tự Trọng, phường Bến Thành, TP Hồ Chí Minh' },
        verification: { method: 'chat_otp', at: now },
        now,
      }),
    );
    if (!second.ok) throw new Error(second.reason);
    const ref2 = requestRef(second.value.id);
    rig.assistant.clock.advance(60_000);

    await createStaffAccount(db, { username: 'thu-ky', role: 'staff', officeId: office, name: 'Võ Thị Thu' });
    const clerk = await (await rig.browser.newContext()).newPage();
    await signInWithBrowser(clerk, rig.server.base, 'thu-ky');
    await clerk.getByRole('link', { name: /yêu cầu chứng thực đang chờ/ }).click();
    await clerk.waitForURL('**/console/certification?status=submitted');
    const card = clerk.locator('article', { has: clerk.getByRole('heading', { name: ref }) });
    await expect.poll(() => card.textContent()).toContain('Giấy khai sinh: 2 bản × 2 trang, 8.000 ₫');
    await expect.poll(() => card.textContent()).toContain('Đã xác thực OTP qua chat');
    await expect.poll(() => clerk.getByRole('link', { name: 'Chờ tiếp nhận (2)' }).count()).toBe(1);
    await expectAccessible(clerk);
    await screenshots(clerk, 'certification-queue');

    // One click confirms; the notice reaches the citizen's chat (delivery runs, the page polls).
    await clerk.getByRole('button', { name: `Tiếp nhận ${ref}`, exact: true }).click();
    await clerk.waitForURL(`**/console/certification?status=submitted&done=confirm&ref=${id}`);
    await expect.poll(() => clerk.locator('.notice').textContent()).toContain(`Đã tiếp nhận ${ref}`);
    await rig.assistant.delivery.runOnce();
    const confirmedText = citizenText('certify.statusConfirmed', { ref, fee: formatVnd(8_000) });
    await expect.poll(() => chat.locator('.msg.bot').allTextContents(), { timeout: 15_000 }).toContainEqual(confirmedText);

    // Rejecting needs a reason: without one the request's page explains, with it the citizen is told.
    await clerk.getByRole('link', { name: ref2 }).click();
    await clerk.waitForURL(`**/console/certification/${second.value.id}`);
    await clerk.getByText('Từ chối yêu cầu').click();
    await clerk.getByRole('button', { name: `Từ chối ${ref2}`, exact: true }).click();
    await expect.poll(() => clerk.locator('.error-summary').textContent()).toContain('Nhập lý do từ chối');
    await expectAccessible(clerk);
    await screenshots(clerk, 'certification-error');
    const reason = 'Bằng tốt nghiệp lưu trữ bị mờ, xin Anh/Chị mang bản chính đến quầy';
    await clerk.getByLabel('Lý do từ chối').fill(reason);
    await clerk.getByRole('button', { name: `Từ chối ${ref2}`, exact: true }).click();
    await clerk.waitForURL(`**/console/certification/${second.value.id}?done=reject&ref=${second.value.id}`);
    await expect.poll(() => clerk.locator('.summary').textContent()).toContain(reason);
    await expectAccessible(clerk);
    await screenshots(clerk, 'certification-detail');
    await rig.assistant.delivery.runOnce();
    await expect
      .poll(() => chat.locator('.msg.bot').allTextContents(), { timeout: 15_000 })
      .toContainEqual(citizenText('certify.statusRejected', { ref: ref2, reason }));

    // Two clerks at once: the page this clerk has open is stale; a colleague marks the request
    // ready first; this clerk's click shows what happened instead of acting twice.
    await clerk.goto(`${rig.server.base}/console/certification?status=confirmed`);
    await createStaffAccount(db, { username: 'dong-nghiep', role: 'staff', officeId: office });
    const colleague = await signInWithHttp(rig.assistant.app, 'dong-nghiep');
    expect((await colleague.post(`/console/certification/${id}/ready`, { pickupPlace: 'Quầy số 3, UBND phường Bến Thành' })).status).toBe(303);
    await clerk.getByRole('button', { name: `Đánh dấu đã sẵn sàng ${ref}`, exact: true }).click();
    await expect.poll(() => clerk.locator('.notice').textContent()).toContain('Yêu cầu này đã được đánh dấu sẵn sàng trước đó (hiện tại: Sẵn sàng trả).');
    await expect.poll(() => clerk.locator('.summary').textContent()).toContain('Quầy số 3, UBND phường Bến Thành');
    await expectAccessible(clerk);
    await screenshots(clerk, 'certification-already-done');
    await chat.context().close();
    await clerk.context().close();
  });

  it('takes a telephone request: the phone, the code read back, the papers and copies', async () => {
    const db = rig.assistant.database.db;
    const office = await seedOffice(db, 'UBND xã Tân Phú');
    const phone = uniquePhone();
    await seedCitizen(db, {
      phone: phone.e164,
      officeId: office,
      documents: [
        { title: 'Căn cước công dân', pages: 1 },
        { title: 'Giấy chứng nhận kết hôn', pages: 2 },
      ],
    });
    await createStaffAccount(db, { username: 'tong-dai', role: 'staff', officeId: office, name: 'Đặng Văn Tổng' });
    const clerk = await (await rig.browser.newContext()).newPage();
    await signInWithBrowser(clerk, rig.server.base, 'tong-dai');
    await clerk.getByRole('link', { name: 'Nhận yêu cầu qua điện thoại' }).first().click();
    await clerk.waitForURL('**/console/telephone');
    await expectAccessible(clerk);
    await screenshots(clerk, 'telephone-phone');

    // A caller who is not registered is sent to registration first.
    await clerk.getByLabel('Số điện thoại của người gọi').fill(uniquePhone().typed);
    await clerk.getByRole('button', { name: 'Gửi mã' }).click();
    await expect.poll(() => clerk.locator('.error-summary').textContent()).toContain('Vui lòng đăng ký công dân');
    await expect.poll(() => clerk.getByRole('link', { name: 'Đăng ký công dân', exact: true }).count()).toBe(1);
    await expectAccessible(clerk);
    await screenshots(clerk, 'telephone-not-registered');

    await clerk.getByLabel('Số điện thoại của người gọi').fill(phone.typed);
    await clerk.getByRole('button', { name: 'Gửi mã' }).click();
    await clerk.waitForURL('**/console/telephone/request?challenge=*');
    await expectAccessible(clerk);
    await screenshots(clerk, 'telephone-code');

    const code = String(await latestCode(db, TEST_SECRET, phone.e164));
    await clerk.getByLabel('Mã 6 số người gọi đọc lại').fill(code === '000000' ? '111111' : '000000');
    await clerk.getByLabel(/Căn cước công dân \(1 trang/).check();
    await clerk.getByRole('button', { name: 'Tạo yêu cầu' }).click();
    await expect.poll(() => clerk.locator('.error-summary').textContent()).toContain('Mã chưa đúng. Còn 4 lần thử.');
    await expectAccessible(clerk);
    await screenshots(clerk, 'telephone-error');

    await clerk.getByLabel('Mã 6 số người gọi đọc lại').fill(code);
    await clerk.getByLabel(/Giấy chứng nhận kết hôn \(2 trang/).check();
    await clerk.getByLabel('Số bản “Giấy chứng nhận kết hôn”').fill('3');
    await clerk.getByLabel('Gửi qua bưu điện').check();
    await clerk.getByLabel('Địa chỉ gửi (nếu gửi bưu điện)').fill('7 Trần Hưng Đạo, xã Tân Phú, tỉnh Đồng Nai');
    await clerk.getByRole('button', { name: 'Tạo yêu cầu' }).click();
    await clerk.waitForURL(/\/console\/certification\/\d+\?done=telephone/);
    await expect.poll(() => clerk.locator('.notice').textContent()).toMatch(/Đã tạo yêu cầu CT-\d{6} qua điện thoại/);
    const facts = (await clerk.locator('.request').textContent()) ?? '';
    expect(facts).toContain('Đã xác thực OTP qua điện thoại');
    expect(facts).toContain('Căn cước công dân: 1 bản × 1 trang');
    expect(facts).toContain('Giấy chứng nhận kết hôn: 3 bản × 2 trang');
    expect(facts).toContain('7 Trần Hưng Đạo, xã Tân Phú, tỉnh Đồng Nai');
    expect(facts).toContain('Đặng Văn Tổng');
    await expectAccessible(clerk);
    await screenshots(clerk, 'telephone-created');
    await clerk.context().close();
  });
});
