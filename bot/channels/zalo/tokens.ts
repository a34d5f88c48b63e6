import { eq } from 'drizzle-orm';
import { zaloTokens } from '../../../db/schema';
import type { Database, Executor } from '../../../db/types';
import type { Clock } from '../../../lib/clock';
import type { Logger } from '../../../lib/logger';
import type { Sealer } from '../../../lib/seal';
import type { TokenPair } from './client';
import { isTokenRejected, ZaloTokenUnavailableError } from './errors';
import { REFRESH_MARGIN_MS, REFRESH_RETRY_MS, SEEDED_TOKEN_ASSUMED_LIFETIME_MS } from './protocol';

export interface TokenManagerDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  appId: string;
  /** Seals the tokens at rest (createSealer(appSecret, 'zalo-token')). */
  sealer: Sealer;
  /** Trades a refresh token for a new pair (the client's OAuth call). */
  refresh: (refreshToken: string) => Promise<TokenPair>;
  /** ZALO_ACCESS_TOKEN / ZALO_REFRESH_TOKEN: stored only when the database holds no row yet. */
  seed?: { accessToken?: string; refreshToken: string };
}

const REAUTHORIZE = 'run `npm run zalo:tokens -- --refresh-token <token>` with a new refresh token from the Zalo developer console';

/**
 * The OA access token, kept in zalo_tokens and refreshed before it expires.
 *
 * One refresh at a time, everywhere: in a process, concurrent callers share one pending refresh;
 * across processes, the refresher holds the row lock (SELECT ... FOR UPDATE) while it calls Zalo
 * and saves the new pair in the same transaction, before anyone uses it. A process that waited
 * for the lock finds the new token and uses it without calling Zalo. A failed refresh is recorded
 * on the row (so /healthz on every process shows the channel degraded), logged as an alert, and
 * not tried again for REFRESH_RETRY_MS; callers get ZaloTokenUnavailableError and the outbox
 * keeps their messages.
 *
 * @example
 * const tokens = createTokenManager({ db, clock, logger, appId, sealer, refresh: client.refreshToken });
 * await tokens.withToken((token) => client.sendMessage(token, userId, { text }));
 */
export function createTokenManager(deps: TokenManagerDeps) {
  const log = deps.logger.child({ component: 'zalo-tokens' });
  let pending: Promise<string> | null = null;
  /**
   * The last token this process read or obtained. Used without a database read while it is fresh:
   * if another process refreshed meanwhile, Zalo refuses this one and withToken() picks up theirs.
   */
  let cached: { token: string; expiresAt: Date } | null = null;

  const open = (sealed: string): string | null => {
    const opened = deps.sealer.unseal(sealed);
    return opened.ok ? opened.value : null;
  };
  const fresh = (expiresAt: Date, now: Date) => expiresAt.getTime() - now.getTime() > REFRESH_MARGIN_MS;

  async function readRow(executor: Executor, lock: boolean) {
    const query = executor.select().from(zaloTokens).where(eq(zaloTokens.appId, deps.appId));
    const [row] = lock ? await query.for('update') : await query;
    return row ?? null;
  }

  async function seedFromConfig(): Promise<void> {
    if (!deps.seed) return;
    const now = deps.clock.now();
    const { accessToken, refreshToken } = deps.seed;
    await deps.db
      .insert(zaloTokens)
      .values({
        appId: deps.appId,
        accessToken: deps.sealer.seal(accessToken ?? ''),
        refreshToken: deps.sealer.seal(refreshToken),
        // Unknown issue time: trust a given access token briefly; without one, refresh at once.
        accessExpiresAt: new Date(accessToken ? now.getTime() + SEEDED_TOKEN_ASSUMED_LIFETIME_MS : 0),
        updatedAt: now,
      })
      .onConflictDoNothing();
  }

  /**
   * Refreshes under the row lock unless someone already did. `rejected` is a token Zalo refused:
   * refresh only while the row still holds it (others who saw the same refusal reuse the result).
   */
  async function refreshLocked(rejected?: string): Promise<string> {
    const outcome = await deps.db.transaction(async (tx) => {
      const row = await readRow(tx, true);
      if (!row) return { error: new ZaloTokenUnavailableError(`no Zalo OA token stored: ${REAUTHORIZE}`) };
      const now = deps.clock.now();
      const access = open(row.accessToken);
      const stillGood = access && (rejected === undefined ? fresh(row.accessExpiresAt, now) : access !== rejected && row.accessExpiresAt > now);
      if (stillGood) return { token: access, expiresAt: row.accessExpiresAt };
      if (row.refreshFailedAt && now.getTime() - row.refreshFailedAt.getTime() < REFRESH_RETRY_MS) {
        return { error: new ZaloTokenUnavailableError(`Zalo token refresh failed recently: ${row.refreshError ?? 'unknown error'}`) };
      }
      const refreshToken = open(row.refreshToken);
      let pair: TokenPair | undefined;
      let failure = refreshToken ? '' : 'the stored refresh token cannot be read (APP_SECRET changed?)';
      if (refreshToken) {
        try {
          pair = await deps.refresh(refreshToken);
        } catch (error) {
          failure = error instanceof Error ? error.message : String(error);
        }
      }
      if (!pair) {
        // Committed with the transaction, so every process reports the channel degraded.
        await tx.update(zaloTokens).set({ refreshFailedAt: now, refreshError: failure, updatedAt: now }).where(eq(zaloTokens.appId, deps.appId));
        log.error('ALERT: Zalo OA token refresh failed; Zalo messages wait in the outbox', { error: failure, action: REAUTHORIZE });
        return { error: new ZaloTokenUnavailableError(`Zalo token refresh failed: ${failure}`) };
      }
      // The single-use refresh token is spent: the new pair is saved before anyone uses it.
      await tx
        .update(zaloTokens)
        .set({
          accessToken: deps.sealer.seal(pair.accessToken),
          refreshToken: deps.sealer.seal(pair.refreshToken),
          accessExpiresAt: new Date(now.getTime() + pair.expiresIn * 1000),
          refreshedAt: now,
          refreshFailedAt: null,
          refreshError: null,
          updatedAt: now,
        })
        .where(eq(zaloTokens.appId, deps.appId));
      log.info('Zalo OA token refreshed', { expiresInSeconds: pair.expiresIn });
      return { token: pair.accessToken, expiresAt: new Date(now.getTime() + pair.expiresIn * 1000) };
    });
    if ('error' in outcome) {
      cached = null;
      throw outcome.error;
    }
    cached = outcome;
    return outcome.token;
  }

  /** In this process, everyone who needs a refresh at the same moment shares one. */
  function refreshOnce(rejected?: string): Promise<string> {
    pending ??= refreshLocked(rejected).finally(() => {
      pending = null;
    });
    return pending;
  }

  async function accessToken(): Promise<string> {
    if (pending) return pending;
    if (cached && fresh(cached.expiresAt, deps.clock.now())) return cached.token;
    let row = await readRow(deps.db, false);
    if (!row) {
      await seedFromConfig();
      row = await readRow(deps.db, false);
      if (!row) throw new ZaloTokenUnavailableError(`no Zalo OA token stored: ${REAUTHORIZE}`);
    }
    const access = open(row.accessToken);
    if (access && fresh(row.accessExpiresAt, deps.clock.now())) {
      cached = { token: access, expiresAt: row.accessExpiresAt };
      return access;
    }
    return refreshOnce();
  }

  return {
    /** A valid access token, refreshed first when it is about to expire. Throws ZaloTokenUnavailableError. */
    accessToken,

    /**
     * Runs `call` with the access token; when Zalo refuses the token (-216, -220), refreshes and
     * runs it once more. Safe for sends: a refused token means Zalo did not act on the request.
     */
    async withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
      const token = await accessToken();
      try {
        return await call(token);
      } catch (error) {
        if (!isTokenRejected(error)) throw error;
        log.warn('Zalo refused the access token; refreshing');
        return call(await refreshOnce(token));
      }
    },

    /** Stores a refresh token (and optionally an access token) given by an operator, replacing what was there. */
    async install(refreshToken: string, access?: { token: string; expiresAt: Date }): Promise<void> {
      const now = deps.clock.now();
      const values = {
        accessToken: deps.sealer.seal(access?.token ?? ''),
        refreshToken: deps.sealer.seal(refreshToken),
        accessExpiresAt: access?.expiresAt ?? new Date(0),
        refreshFailedAt: null,
        refreshError: null,
        updatedAt: now,
      };
      await deps.db
        .insert(zaloTokens)
        .values({ appId: deps.appId, ...values })
        .onConflictDoUpdate({ target: zaloTokens.appId, set: values });
      cached = null;
    },

    /** For /healthz: a token is stored and valid, and the last refresh did not fail. */
    async healthy(): Promise<boolean> {
      const row = await readRow(deps.db, false);
      if (!row) return deps.seed !== undefined;
      return row.refreshFailedAt === null && (row.accessExpiresAt > deps.clock.now() || open(row.refreshToken) !== null);
    },
  };
}

export type TokenManager = ReturnType<typeof createTokenManager>;
