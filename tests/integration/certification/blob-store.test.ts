import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobStore } from '../../../lib/blob-store';
import { sniffScanType } from '../../../lib/file-type';
import { createBlobStore } from '../../../lib/local-blob-store';

const bytes = new TextEncoder().encode('%PDF-1.4 scanned');

/** A minimal S3 on 127.0.0.1: path-style PUT/GET/DELETE, refusing unsigned requests. */
async function startFakeS3() {
  const objects = new Map<string, Buffer>();
  const server: Server = createServer((req, res) => {
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('AWS4-HMAC-SHA256 Credential=AKTEST/') || !req.headers['x-amz-date']) {
      res.writeHead(403).end('unsigned');
      return;
    }
    const key = req.url ?? '';
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'PUT') {
        objects.set(key, Buffer.concat(chunks));
        res.writeHead(200).end();
      } else if (req.method === 'GET') {
        const found = objects.get(key);
        if (found) res.writeHead(200).end(found);
        else res.writeHead(404).end();
      } else if (req.method === 'DELETE') {
        objects.delete(key);
        res.writeHead(204).end();
      } else res.writeHead(405).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, objects, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let dir: string;
let s3: Awaited<ReturnType<typeof startFakeS3>>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mc-blobs-'));
  s3 = await startFakeS3();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await s3.close();
});

const stores: [string, () => BlobStore][] = [
  ['local folder', () => createBlobStore({ kind: 'local', dir })],
  [
    'S3-compatible bucket',
    () => createBlobStore({ kind: 's3', endpoint: s3.url, bucket: 'scans', region: 'auto', accessKeyId: 'AKTEST', secretAccessKey: 'secret' }),
  ],
];

describe.each(stores)('blob store: %s', (_name, make) => {
  it('puts, gets back the same bytes, and deletes', async () => {
    const store = make();
    await store.put('documents/1/a.pdf', bytes, 'application/pdf');
    expect(await store.get('documents/1/a.pdf')).toEqual(bytes);
    await store.delete('documents/1/a.pdf');
    expect(await store.get('documents/1/a.pdf')).toBeNull();
  });

  it.each(['../etc/passwd', 'documents/../../x', '/abs', 'a b'])('refuses the key %s', async (key) => {
    await expect(make().put(key, bytes, 'application/pdf')).rejects.toThrow(/invalid blob key/);
  });
});

it('signs S3 requests and uses path-style addressing', async () => {
  await stores[1]?.[1]().put('documents/2/b.png', bytes, 'image/png');
  expect([...s3.objects.keys()]).toContain('/scans/documents/2/b.png');
});

describe('scan type by content', () => {
  it.each([
    ['%PDF-1.7', 'application/pdf'],
    ['\xff\xd8\xff\xe0JFIF', 'image/jpeg'],
    ['\x89PNG\r\n\x1a\n', 'image/png'],
    ['GIF89a', null],
    ['%PD', null],
    ['', null],
  ])('reads %j as %s', (start, type) => {
    expect(sniffScanType(Uint8Array.from(start, (ch) => ch.charCodeAt(0)))).toBe(type);
  });
});
