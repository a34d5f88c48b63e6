/**
 * OTP benchmark (`npm run bench:otp`), on PostgreSQL in a scratch database:
 * 1. throughput: issue codes for distinct phones, then verify them all (the goal is at least 500
 *    verifications a second on 2 cores), with latency percentiles;
 * 2. brute force: an attacker who may open any number of chats guesses codes for one phone for a
 *    simulated day (fake clock), against the real issue/verify code and limits; the chance of
 *    success per phone per day is computed from the limits and checked against what the run
 *    allowed.
 *
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) names the server; a
 * database mc_bench_otp_<pid> is created there and dropped at the end.
 */
import { performance } from 'node:perf_hooks';
import { eq, inArray } from 'drizzle-orm';
import { openDatabase } from '../../db/open';
import { identities, outbox } from '../../db/schema';
import type { Database } from '../../db/types';
import { issueOtp, type OtpDeps, otpSealer, verifyOtp } from '../../domain/certification/otp';
import { DEFAULT_OTP_POLICY } from '../../vocabulary/settings';
import { scratchDatabase } from '../lib/scratch-database';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CODES = Number(process.env.BENCH_OTP_CODES ?? 4000);
const CONCURRENCY = Number(process.env.BENCH_OTP_CONCURRENCY ?? 16);
const ATTACKED_PHONES = Number(process.env.BENCH_OTP_ATTACKED_PHONES ?? 200);
const SECRET = 'bench-otp-secret-bench-otp-secret-0123456789';
const deps: OtpDeps = { secret: SECRET, policy: DEFAULT_OTP_POLICY, channel: 'sms' };

/** A clock the benchmark moves by hand (the domain reads time only from what it is given). */
let clockMs = Date.parse('2026-11-23T01:00:00Z');
const now = () => new Date(clockMs);

const phoneOf = (i: number) => `+8491${String(i).padStart(7, '0')}`;

async function inParallel<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < items.length; i = next++) {
        const item = items[i];
        if (item === undefined) continue;
        const started = performance.now();
        await work(item);
        latencies.push(performance.now() - started);
      }
    }),
  );
  return latencies.sort((a, b) => a - b);
}

const pct = (sorted: number[], q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(1);

async function throughput(db: Database) {
  const phones = Array.from({ length: CODES }, (_, i) => phoneOf(i));
  const challenges = new Map<string, string>();
  let t = performance.now();
  const issueLatency = await inParallel(phones, CONCURRENCY, async (phone) => {
    const issued = await db.transaction((tx) => issueOtp(tx, deps, { phone, identityId: null, deliver: true, now: now() }));
    if (!issued.ok) throw new Error('unexpected rate limit');
    challenges.set(phone, issued.value.challengeId);
  });
  const issueSeconds = (performance.now() - t) / 1000;

  // Read the codes as the SMS sender would (not timed).
  const sealer = otpSealer(SECRET);
  const rows = await db.select({ phone: outbox.phone, payload: outbox.payload }).from(outbox).where(inArray(outbox.phone, phones));
  const codes = new Map<string, string>();
  for (const row of rows) {
    if (row.phone && 'phone' in row.payload && row.payload.phone.purpose === 'otp') {
      const code = sealer.unseal(row.payload.phone.sealedCode);
      if (code.ok) codes.set(row.phone, code.value);
    }
  }

  let verified = 0;
  t = performance.now();
  const verifyLatency = await inParallel(phones, CONCURRENCY, async (phone) => {
    const result = await db.transaction((tx) =>
      verifyOtp(tx, deps, { challengeId: challenges.get(phone) ?? '', code: codes.get(phone) ?? '', identityId: null, now: now() }),
    );
    if (result.ok) verified++;
  });
  const verifySeconds = (performance.now() - t) / 1000;
  return {
    codes: CODES,
    concurrency: CONCURRENCY,
    issuePerSecond: Math.round(CODES / issueSeconds),
    issueP50: pct(issueLatency, 0.5),
    issueP99: pct(issueLatency, 0.99),
    verified,
    verifyPerSecond: Math.round(verified / verifySeconds),
    verifyP50: pct(verifyLatency, 0.5),
    verifyP99: pct(verifyLatency, 0.99),
  };
}

/**
 * One attacker against one phone for 24 hours: a fresh chat for every code (so only the per-phone
 * limits hold), five distinct guesses per code, waiting exactly as long as the limits say.
 */
async function attackOnePhone(db: Database, attacked: OtpDeps, phone: string): Promise<{ codes: number; guessesChecked: number; successes: number }> {
  const space = 10 ** attacked.policy.digits;
  const randomGuess = () => String(Math.floor(Math.random() * space)).padStart(attacked.policy.digits, '0');
  const end = clockMs + 24 * 60 * 60 * 1000;
  let codes = 0;
  let guessesChecked = 0;
  let successes = 0;
  while (clockMs < end) {
    // A chat never seen before, so no per-chat limit ever applies: only the per-phone ones hold.
    const [chat] = await db
      .insert(identities)
      .values({ channel: 'web', externalId: `attacker-${phone}-${clockMs}-${codes}`, createdAt: now(), lastSeenAt: now() })
      .returning({ id: identities.id });
    const identityId = chat?.id ?? null;
    const issued = await db.transaction((tx) => issueOtp(tx, attacked, { phone, identityId, deliver: true, now: now() }));
    if (!issued.ok) {
      clockMs += issued.retryAfterMs;
      continue;
    }
    codes++;
    const tried = new Set<string>();
    for (;;) {
      let guess = randomGuess();
      while (tried.has(guess)) guess = randomGuess();
      tried.add(guess);
      const result = await db.transaction((tx) => verifyOtp(tx, attacked, { challengeId: issued.value.challengeId, code: guess, identityId, now: now() }));
      if (result.ok) {
        successes++;
        guessesChecked++;
        break;
      }
      if (result.reason === 'wrong_code') guessesChecked++;
      else {
        // The fifth wrong guess kills the code: it was checked too.
        if (result.reason === 'too_many_tries' && tried.size === attacked.policy.maxAttempts) guessesChecked++;
        break;
      }
    }
    clockMs += 1000;
  }
  return { codes, guessesChecked, successes };
}

async function bruteForce(db: Database, attacked: OtpDeps, firstPhone: number) {
  const dayStart = clockMs;
  let maxCodes = 0;
  let maxGuesses = 0;
  let successes = 0;
  let guesses = 0;
  let codes = 0;
  let codesWon = 0;
  for (let p = 0; p < ATTACKED_PHONES; p++) {
    clockMs = dayStart;
    const result = await attackOnePhone(db, attacked, phoneOf(firstPhone + p));
    maxCodes = Math.max(maxCodes, result.codes);
    maxGuesses = Math.max(maxGuesses, result.guessesChecked);
    successes += result.successes > 0 ? 1 : 0;
    codesWon += result.successes;
    codes += result.codes;
    guesses += result.guessesChecked;
  }
  const { perPhone, maxAttempts, digits } = attacked.policy;
  const perGuess = 1 / 10 ** digits;
  // k distinct guesses against one code win with k/10^digits; codes are independent over the day.
  const computed = 1 - (1 - maxAttempts * perGuess) ** perPhone.day;
  const observedBound = 1 - (1 - maxAttempts * perGuess) ** Math.ceil(maxGuesses / maxAttempts);
  clockMs = dayStart + 24 * 60 * 60 * 1000;
  return {
    phones: ATTACKED_PHONES,
    codes,
    codesWon,
    perCode: maxAttempts * perGuess,
    maxCodesPerDay: maxCodes,
    maxGuessesPerDay: maxGuesses,
    totalGuesses: guesses,
    successes,
    computed,
    observedBound,
  };
}

async function main() {
  const name = `mc_bench_otp_${process.pid}`;
  const scratch = await scratchDatabase(SERVER, name);
  const handle = await openDatabase({ url: scratch.url, maxConnections: CONCURRENCY + 2 });
  try {
    const t = await throughput(handle.db);
    process.stdout.write(
      `throughput (${t.codes} codes, ${t.concurrency} in flight, PostgreSQL):\n` +
        `  issue:  ${t.issuePerSecond}/s  p50 ${t.issueP50} ms  p99 ${t.issueP99} ms\n` +
        `  verify: ${t.verifyPerSecond}/s  p50 ${t.verifyP50} ms  p99 ${t.verifyP99} ms  (${t.verified}/${t.codes} verified; goal >= 500/s)\n`,
    );
    await handle.db.delete(outbox).where(eq(outbox.kind, 'otp'));
    const b = await bruteForce(handle.db, deps, 5_000_000);
    process.stdout.write(
      `brute force (${b.phones} phones, one simulated day each, a new chat per code):\n` +
        `  codes per phone per day: at most ${b.maxCodesPerDay}; guesses checked per phone per day: at most ${b.maxGuessesPerDay}; total codes ${b.codes}, guesses ${b.totalGuesses}; phone-days won ${b.successes}\n` +
        `  success chance per phone per day: computed from the limits ${b.computed.toExponential(2)} (1 in ${Math.round(1 / b.computed)}); ` +
        `from the guesses the run allowed ${b.observedBound.toExponential(2)} (1 in ${Math.round(1 / b.observedBound)}); goal < 1e-4\n`,
    );
    // The same attacker against 2-digit codes (same limits) must win about as often as computed,
    // which shows the harness counts real successes.
    const weak = await bruteForce(handle.db, { ...deps, policy: { ...DEFAULT_OTP_POLICY, digits: 2 } }, 6_000_000);
    process.stdout.write(
      `calibration (the same attacker, 2-digit codes, same limits, ${weak.phones} phones, ${weak.codes} codes, ${weak.totalGuesses} guesses): phone-days won ${weak.successes} ` +
        `(${((100 * weak.successes) / weak.phones).toFixed(1)}%; computed ${(100 * weak.computed).toFixed(1)}%), codes won ${weak.codesWon} ` +
        `(${((100 * weak.codesWon) / weak.codes).toFixed(1)}%; computed ${(100 * weak.perCode).toFixed(1)}%)\n`,
    );
    if (t.verifyPerSecond < 500 || b.observedBound >= 1e-4 || b.computed >= 1e-4) process.exitCode = 1;
  } finally {
    await handle.close();
    await scratch.drop();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
