import { Pool } from 'undici';
import { createBotApiFetch } from '../bot/channels/telegram/bot-api-fetch';
import { createBlobStore } from '../lib/local-blob-store';
import type { Platform } from './assemble';

/**
 * What the Node processes have that Workers do not: undici pools with kept-alive sockets for
 * grammY and the Zalo client (bot-api-fetch.ts says what they save per call), and scans kept in a
 * folder unless a bucket is configured. Only Node entries import this, so none of it reaches the
 * Worker bundle (runtime/worker.ts has fetch and the S3-compatible store).
 */
export const nodePlatform: Platform = {
  telegramFetch: () => createBotApiFetch() as unknown as typeof fetch,
  pools: (origin, { connections, timeoutMs }) =>
    new Pool(origin, { connections, connectTimeout: timeoutMs, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, keepAliveTimeout: 30_000 }),
  blobStore: createBlobStore,
};
