/** Where the console lives; every page link is built from here. */
export const CONSOLE = '/console';

/**
 * A path to come back to after sign-in or a language switch: only one of the console's own
 * (no scheme, no host, no `//`), so a link cannot send a signed-in clerk to another site.
 */
export function safeReturnPath(value: string | undefined): string {
  if (!value?.startsWith(CONSOLE) || value.startsWith('//') || /[\\\r\n]/.test(value)) return CONSOLE;
  const rest = value.slice(CONSOLE.length);
  return rest === '' || rest.startsWith('/') || rest.startsWith('?') ? value : CONSOLE;
}
