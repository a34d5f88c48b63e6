import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedOffice, uniquePhone } from '../../support/certification';
import { createStaffAccount, describeInBrowser, expectAccessible, screenshots, signInWithBrowser, useBrowserRig } from '../../support/console';

/** A real PNG the browser can decode: a width × height picture in two colours, like a scanned card. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set(y < height / 4 ? [29, 78, 216] : [243, 242, 241], y * (width * 3 + 1) + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const PDF =
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n';

// Scans are kept under DATA_DIR: one of this file's own, removed at the end.
const dataDir = mkdtempSync(join(tmpdir(), 'mc-e2e-citizens-'));
const rig = useBrowserRig({ DATA_DIR: dataDir });

describeInBrowser('console citizens and scans in a real browser', () => {
  beforeAll(async () => {
    const office = await seedOffice(rig.assistant.database.db, 'UBND phường Bến Nghé');
    await createStaffAccount(rig.assistant.database.db, { username: 'tiep-nhan', role: 'staff', officeId: office, name: 'Lê Thị Tiếp' });
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('registers a citizen by phone, uploads, previews and retires a scan, and explains a wrong file', async () => {
    const page = await rig.browser.newPage();
    await signInWithBrowser(page, rig.server.base, 'tiep-nhan');
    await page.getByRole('link', { name: 'Công dân', exact: true }).click();
    await page.waitForURL('**/console/citizens');
    await expectAccessible(page);
    await screenshots(page, 'citizens');

    // A number that is no phone number: the page again, with the message by the field.
    await page.getByLabel('Số điện thoại của công dân').fill('12345');
    await page.getByRole('button', { name: 'Tìm công dân' }).click();
    await expect.poll(() => page.locator('.error-summary').textContent()).toContain('Vui lòng nhập số điện thoại di động Việt Nam');
    await expectAccessible(page);
    await screenshots(page, 'citizens-error');

    const phone = uniquePhone();
    await page.getByLabel('Số điện thoại của công dân').fill(phone.typed);
    await page.getByRole('button', { name: 'Tìm công dân' }).click();
    await expect.poll(() => page.locator('.notice').textContent()).toContain('Chưa có công dân nào đăng ký');
    // The register form opens with the number searched for.
    expect((await page.getByLabel('Số điện thoại', { exact: true }).inputValue()).replace(/\s/g, '')).toBe(`0${phone.e164.slice(3)}`);
    await page.getByLabel('Họ và tên').fill('Nguyễn Văn Bình');
    await page.getByRole('button', { name: 'Đăng ký công dân' }).click();
    await page.waitForURL('**/console/citizens/*?done=registered');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Nguyễn Văn Bình');
    await expect.poll(() => page.locator('.notice').textContent()).toContain('Đã đăng ký công dân');
    await expectAccessible(page);
    await screenshots(page, 'citizen-new');

    // A file that only claims to be a picture is refused with a specific message.
    await page.getByLabel('Loại giấy tờ').selectOption('cccd');
    await page.getByLabel('Tên giấy tờ').fill('Căn cước công dân');
    await page.getByLabel('Tệp bản quét').setInputFiles({ name: 'anh-the.png', mimeType: 'image/png', buffer: Buffer.from('not really a picture') });
    await page.getByRole('button', { name: 'Lưu bản quét' }).click();
    await expect.poll(() => page.locator('.error-summary').textContent()).toContain('không phải PDF, JPEG hay PNG');
    expect(await page.getByLabel('Tên giấy tờ').inputValue()).toBe('Căn cước công dân');
    await expectAccessible(page);
    await screenshots(page, 'citizen-upload-error');

    // The picture, through the file input (a phone's camera opens the same way).
    await page.getByLabel('Tệp bản quét').setInputFiles({ name: 'cccd.png', mimeType: 'image/png', buffer: png(240, 150) });
    await page.getByRole('button', { name: 'Lưu bản quét' }).click();
    await page.waitForURL('**/console/citizens/*?done=uploaded*');
    const preview = page.getByRole('img', { name: 'Bản quét: Căn cước công dân' });
    await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(240);

    // A PDF dropped on the file's box, as from the desktop.
    await page.getByLabel('Loại giấy tờ').selectOption('khai_sinh');
    await page.getByLabel('Tên giấy tờ').fill('Giấy khai sinh bản chính');
    await page.locator('[data-dropzone]').evaluate((zone, pdf) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([pdf], 'khai-sinh.pdf', { type: 'application/pdf' }));
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, PDF);
    expect(await page.getByLabel('Tệp bản quét').evaluate((input: HTMLInputElement) => input.files?.[0]?.name)).toBe('khai-sinh.pdf');
    await page.getByRole('button', { name: 'Lưu bản quét' }).click();
    await page.waitForURL('**/console/citizens/*?done=uploaded*');
    const pdfLink = page.getByRole('link', { name: /Mở tệp PDF Giấy khai sinh bản chính/ });
    const pdf = await page.request.get(new URL((await pdfLink.getAttribute('href')) ?? '', rig.server.base).toString());
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect(pdf.headers()['content-disposition']).toMatch(/^inline/);
    await expectAccessible(page);
    await screenshots(page, 'citizen-scans');

    // Retire the picture: a confirmation page first, then it is gone and the PDF stays.
    await page.getByRole('link', { name: 'Gỡ bỏ Căn cước công dân' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Gỡ bỏ bản quét?');
    // The picture loads after the page: wait for it as above (it was not loaded yet on a busy machine).
    const shown = page.getByRole('img', { name: 'Bản quét: Căn cước công dân' });
    await expect.poll(() => shown.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(240);
    await expectAccessible(page);
    await screenshots(page, 'citizen-retire');
    await page.getByRole('button', { name: 'Gỡ bỏ bản quét' }).click();
    await page.waitForURL('**/console/citizens/*?done=retired*');
    await expect.poll(() => page.locator('.notice').textContent()).toContain('Đã gỡ bỏ bản quét');
    expect(await page.getByRole('img', { name: 'Bản quét: Căn cước công dân' }).count()).toBe(0);
    expect(await pdfLink.count()).toBe(1);

    // The citizens page now lists them among the office's recent ones, phone masked.
    await page.getByRole('link', { name: 'Công dân', exact: true }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Nguyễn Văn Bình' }).count()).toBe(1);
    expect(await page.locator('main table').textContent()).toContain(`${phone.e164.replace('+84', '0').slice(0, 4)} *** `);
    await expectAccessible(page);
    await screenshots(page, 'citizens-recent');
    await page.close();
  });
});
