import type { Services } from '../../bot/core/services';

/**
 * Services for a test whose flows call no port: any use fails loudly, naming the port, so a
 * test never passes by silently skipping a capability. New ports need no change here.
 */
export function unusedServices(): Services {
  return new Proxy({} as Services, {
    get: (_target, name) => {
      throw new Error(`the service ${String(name)} is not provided in this test`);
    },
  });
}
