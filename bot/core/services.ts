/**
 * The domain ports flows may call. Each capability adds its port here as a field; the
 * composition root (runtime/assemble.ts) provides the implementations, and tests provide real
 * ones over a test database or small fakes. Ports return Result values for expected failures.
 */
// biome-ignore lint/suspicious/noEmptyInterface: capabilities add their ports here
export interface Services {}
