import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { AwsClient } from 'aws4fetch';

/**
 * Where scanned documents are kept: a folder on this machine by default, an S3-compatible
 * bucket (AWS S3, Cloudflare R2, MinIO, Viettel/FPT object storage) when configured. Keys are
 * made by the caller from ids and random parts, e.g. `documents/12/Xf3….pdf`.
 *
 * @example
 * const store = createBlobStore({ kind: 'local', dir: join(config.dataDir, 'blobs') });
 * await store.put('documents/1/a.pdf', bytes, 'application/pdf');
 * const again = await store.get('documents/1/a.pdf'); // Uint8Array | null
 */
export interface BlobStore {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  get(key: string): Promise<Uint8Array | null>;
  delete(key: string): Promise<void>;
}

export type BlobStoreConfig =
  | { kind: 'local'; dir: string }
  | { kind: 's3'; endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string };

const KEY = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_.-]+)*$/;

function checkKey(key: string): void {
  // Keys come from our own code, but a path that climbs out of the store must never be possible.
  if (!KEY.test(key) || key.split('/').some((part) => part === '..' || part === '.')) throw new Error(`invalid blob key: ${key}`);
}

export function createBlobStore(config: BlobStoreConfig): BlobStore {
  return config.kind === 'local' ? localStore(config.dir) : s3Store(config);
}

function localStore(dir: string): BlobStore {
  const root = resolve(dir);
  const pathOf = (key: string) => {
    checkKey(key);
    const path = resolve(join(root, key));
    if (!path.startsWith(root + sep)) throw new Error(`invalid blob key: ${key}`);
    return path;
  };
  return {
    async put(key, bytes) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, bytes, { mode: 0o600 });
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(pathOf(key)));
      } catch (error) {
        if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return null;
        throw error;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}

function s3Store(config: Extract<BlobStoreConfig, { kind: 's3' }>): BlobStore {
  const client = new AwsClient({ accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey, region: config.region, service: 's3' });
  // Path-style addressing works with every S3-compatible service, virtual-host style does not.
  const urlOf = (key: string) => {
    checkKey(key);
    return `${config.endpoint.replace(/\/$/, '')}/${encodeURIComponent(config.bucket)}/${key}`;
  };
  return {
    async put(key, bytes, contentType) {
      const res = await client.fetch(urlOf(key), { method: 'PUT', body: new Blob([new Uint8Array(bytes)]), headers: { 'content-type': contentType } });
      if (!res.ok) throw new Error(`blob store PUT ${key} failed: HTTP ${res.status}`);
    },
    async get(key) {
      const res = await client.fetch(urlOf(key), { method: 'GET' });
      if (res.status === 404) return null;
      if (!res.ok) throw new Error(`blob store GET ${key} failed: HTTP ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    },
    async delete(key) {
      const res = await client.fetch(urlOf(key), { method: 'DELETE' });
      if (!res.ok && res.status !== 404) throw new Error(`blob store DELETE ${key} failed: HTTP ${res.status}`);
    },
  };
}
