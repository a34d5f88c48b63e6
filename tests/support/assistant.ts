import type { Config } from '../../config/schema';
import { parseConfig } from '../../config/schema';
import type { DatabaseHandle } from '../../db/open';
import { realTimer } from '../../lib/clock';
import { type Logger, silentLogger } from '../../lib/logger';
import { assemble } from '../../runtime/assemble';
import { nodePlatform } from '../../runtime/node-platform';
import { createFakeClock, type FakeClock } from './clock';
import { createTestDatabase } from './database';

/** A config as the tests want it: defaults plus the given environment. */
export function testConfig(env: Record<string, string> = {}): Config & { appSecret: string } {
  const parsed = parseConfig({ NODE_ENV: 'test', DELIVERY_ENABLED: 'false', APP_SECRET: 'test-secret-test-secret-test-secret-1234', ...env });
  if (!parsed.ok) throw new Error(parsed.message);
  return { ...parsed.value, appSecret: parsed.value.appSecret ?? '' };
}

export interface TestAssistant extends Awaited<ReturnType<typeof assemble>> {
  database: DatabaseHandle;
  clock: FakeClock;
  config: Config;
  close(): Promise<void>;
}

/** The whole assistant over a fresh test database and a fake clock, as the runtimes build it. */
export async function createTestAssistant(env: Record<string, string> = {}, logger: Logger = silentLogger): Promise<TestAssistant> {
  const database = await createTestDatabase();
  const clock = createFakeClock();
  const config = testConfig(env);
  // Delivery waits on real time here: the channel fakes it talks to run on real time too.
  const assistant = await assemble({ config, db: database.db, clock, timer: realTimer, logger, platform: nodePlatform });
  return {
    ...assistant,
    database,
    clock,
    config,
    async close() {
      await assistant.delivery.stop();
      await database.close();
    },
  };
}
