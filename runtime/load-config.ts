import { type Config, parseConfig } from '../config/schema';
import { loadOrCreateDevSecret } from './secret';

/**
 * Reads the process environment once. A bad or missing value stops start-up: one line per
 * variable on stderr, exit code 2.
 */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config & { appSecret: string } {
  const parsed = parseConfig(env);
  if (!parsed.ok) {
    process.stderr.write(`Configuration error:\n${parsed.message}\n`);
    process.exit(2);
  }
  const config = parsed.value;
  return { ...config, appSecret: config.appSecret ?? loadOrCreateDevSecret(config.dataDir) };
}
