import type { Services } from '../../bot/core/services';

/**
 * Services for a test that provides only the ports its flows should use: any other use fails
 * loudly, naming the port, so a test never passes by silently skipping a capability. New ports
 * need no change here.
 */
export function servicesWith(provided: Partial<Services>): Services {
  return new Proxy(provided as Services, {
    get: (target, name) => {
      if (name in target) return target[name as keyof Services];
      throw new Error(`the service ${String(name)} is not provided in this test`);
    },
  });
}
