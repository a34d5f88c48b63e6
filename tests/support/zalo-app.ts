import type { Logger } from '../../lib/logger';
import { type FakeZalo, startFakeZalo } from '../fakes/zalo-server';
import { createTestAssistant, type TestAssistant } from './assistant';
import { TEST_START } from './clock';

/**
 * A fake Zalo and the whole assistant wired to it as the OA: the app's keys, access token
 * `access-0` and refresh token `refresh-0`, and the fake's clock following the assistant's fake
 * clock (so token expiry and event timestamps agree). Close the assistant, then the fake.
 *
 * @example
 * const { zalo, assistant } = await startZaloApp({ appId: '3608465248940903967', appSecret: 's', oaSecretKey: 'k' });
 */
export async function startZaloApp(
  keys: { appId: string; appSecret: string; oaSecretKey: string },
  env: Record<string, string> = {},
  logger?: Logger,
): Promise<{ zalo: FakeZalo; assistant: TestAssistant }> {
  let assistant: TestAssistant | undefined;
  const zalo = await startFakeZalo({
    appId: keys.appId,
    appSecret: keys.appSecret,
    accessToken: 'access-0',
    refreshToken: 'refresh-0',
    // The fake issues tokens on the assistant's clock; nothing asks it before the assistant exists.
    now: () => (assistant?.clock.now() ?? TEST_START).getTime(),
  });
  assistant = await createTestAssistant({ ...zalo.env(keys.oaSecretKey), ZALO_REFRESH_TOKEN: 'refresh-0', ...env }, logger);
  return { zalo, assistant };
}
