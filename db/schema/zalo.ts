import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The Zalo OA's OAuth tokens, one row per Zalo app. The refresh token is single-use: whoever
 * refreshes must hold this row's lock (SELECT ... FOR UPDATE) and save the new pair in the same
 * transaction, or two processes would burn each other's token. Both tokens are sealed
 * (lib/seal, purpose 'zalo-token'), so a database copy alone cannot act as the OA.
 */
export const zaloTokens = pgTable('zalo_tokens', {
  appId: text('app_id').primaryKey(),
  accessToken: text('access_token').notNull(),
  refreshToken: text('refresh_token').notNull(),
  accessExpiresAt: timestamp('access_expires_at', { withTimezone: true }).notNull(),
  refreshedAt: timestamp('refreshed_at', { withTimezone: true }),
  /** Set when the last refresh failed (cleared by the next success): the channel is degraded. */
  refreshFailedAt: timestamp('refresh_failed_at', { withTimezone: true }),
  refreshError: text('refresh_error'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});
