import { AwsClient } from 'aws4fetch';

/**
 * Where scanned documents are kept: a folder on this machine by default, an S3-compatible
 * bucket (AWS S3, Cloudflare R2, MinIO, Viettel/FPT object storage) when configured. Keys are
 * made by the caller from ids and random parts, e.g. `documents/12/Xf3….pdf`.
 *
 * @example
 * const store = createBlobStore({ kind: 'local', dir: join(config.dataDir, 'blobs') }); // lib/local-blob-store.ts
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

export function checkKey(key: string): void {
  // Keys come from our own code, but a path that climbs out of the store must never be possible.
  if (!KEY.test(key) || key.split('/').some((part) => part === '..' || part === '.')) throw new Error(`invalid blob key: ${key}`);
}

/**
 * The S3-compatible store, over fetch (aws4fetch signs the requests): it runs on Node and on
 * Workers alike. The folder store is Node's only (lib/local-blob-store.ts).
 */
export function s3BlobStore(config: Extract<BlobStoreConfig, { kind: 's3' }>): BlobStore {
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
