import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_HEADER } from '../../bot/channels/telegram/webhook';
import { createLogger } from '../../lib/logger';
import { ROLES, type Role } from '../../vocabulary/actors';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-server';
import { type FakeZalo, signedZaloEvent } from '../fakes/zalo-server';
import { API_ROUTES, type ApiRouteCase } from '../support/api-routes';
import type { TestAssistant } from '../support/assistant';
import { seedCitizen, seedOffice } from '../support/certification';
import { callbackUpdate, contactUpdate, TELEGRAM_TEST_ENV, textUpdate } from '../support/telegram-app';
import { createTestToken } from '../support/tokens';
import { startZaloApp } from '../support/zalo-app';

/**
 * Property-based fuzzing of every door into the service: random and mutated Telegram updates,
 * Zalo events (validly signed, so they reach the dialog), web chat messages, and bodies, queries
 * and path parameters for every operation of the OpenAPI document. The properties: no answer is
 * a 5xx, and nothing is logged at error level (an unhandled error, a failed dialog).
 *
 * Bounded and repeatable: FUZZ_RUNS (default 60) runs per property, from FUZZ_SEED (default 1414).
 * A failure prints the seed and the shrunk counterexample to replay with that seed.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const SEED = Number(process.env.FUZZ_SEED ?? 1414);
const settings = { numRuns: RUNS, seed: SEED, endOnFailure: true } as const;

const KEYS = { appId: '3608465248940903967', oaSecretKey: 'oa-secret-key-for-fuzzing' };
let telegram: FakeTelegram;
let zalo: FakeZalo;
let assistant: TestAssistant;
const errors: string[] = [];
const tokens = new Map<Role, string>();

beforeAll(async () => {
  telegram = await startFakeTelegram();
  const logger = createLogger({ level: 'error', write: (line) => errors.push(line) });
  ({ zalo, assistant } = await startZaloApp({ ...KEYS, appSecret: 'zalo-app-secret' }, { ...TELEGRAM_TEST_ENV, TELEGRAM_API_ROOT: telegram.apiRoot }, logger));
  zalo.state.accessExpiresAt = assistant.clock.now().getTime() + 25 * 3_600_000;
  const db = assistant.database.db;
  // Something to find: a citizen with papers, so certify and dossier flows go deep.
  await seedCitizen(db, { phone: '+84912345678', officeId: await seedOffice(db), documents: [{ title: 'Giấy khai sinh', pages: 2 }] });
  for (const role of ROLES) tokens.set(role, await createTestToken(db, role, { officeId: role === 'staff' ? 1 : null }));
});
afterAll(async () => {
  await assistant.close();
  await zalo.close();
  await telegram.stop();
});

/** Each property ends with nothing logged at error level. */
function expectNoErrorsLogged() {
  expect(errors, errors.join('\n')).toEqual([]);
}

// ---- inputs --------------------------------------------------------------------------------

const FLOWS = ['menu', 'ask', 'dossier', 'certify', 'settings', 'feedback', 'help'];
/** Strings that have broken services before: NUL, lone surrogates, quotes, huge numbers, long runs. */
const nasty = fc.oneof(
  { weight: 3, arbitrary: fc.constant('a\u0000b') },
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\udfff x',
    "'; select 1; --",
    '%00',
    '../../etc/passwd',
    '9'.repeat(30),
    '-0',
    'NaN',
    '1e309',
    '\u202e',
    'x'.repeat(5000),
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
/** JSON values whose strings may be anything, nasty ones included. */
const anyJson = (maxDepth: number) => fc.oneof(fc.jsonValue({ maxDepth, stringUnit: 'binary' }), nasty);
/** Text a citizen might type, text nobody types, and very long text. */
const citizenText = fc.oneof(
  fc.constantFrom(
    '/start',
    '/start p_1.001193',
    '/start d_',
    'menu',
    '/help',
    '/lang en',
    'chung thuc',
    'khai sinh',
    '0912345678',
    '091 234 5678',
    '123456',
    '5678',
    'HS-0001',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ maxLength: 3000 }),
  nasty,
);
/** Button actions: ours with random arguments, and random strings. */
const action = fc.oneof(
  fc
    .tuple(fc.constantFrom(...FLOWS), fc.array(fc.oneof(fc.string({ maxLength: 12 }), fc.integer().map(String)), { maxLength: 3 }))
    .map(([flow, args]) => [flow, ...args].join(':')),
  fc.string({ maxLength: 70 }),
  nasty,
);
const phone = fc.oneof(fc.constantFrom('+84912345678', '84912345678', '0912345678', '+1 202 555 0100', ''), fc.string({ maxLength: 20 }), nasty);

/**
 * A value with up to three leaves changed: a string with a nasty one added, a leaf replaced by
 * random JSON, or a key removed. The shape a real sender might get slightly wrong reaches deeper
 * than random JSON does.
 */
type Edit = { kind: 'taint'; text: string } | { kind: 'replace'; value: unknown } | { kind: 'remove' };
const edit: fc.Arbitrary<{ at: number; change: Edit }> = fc.record({
  at: fc.nat(),
  change: fc.oneof(
    { weight: 2, arbitrary: nasty.map((text): Edit => ({ kind: 'taint', text })) },
    { weight: 1, arbitrary: anyJson(2).map((value): Edit => ({ kind: 'replace', value })) },
    { weight: 1, arbitrary: fc.constant<Edit>({ kind: 'remove' }) },
  ),
});
function mutated(base: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(base, fc.array(edit, { minLength: 1, maxLength: 3 })).map(([value, edits]) => {
    const copy = structuredClone(value);
    for (const { at, change } of edits) {
      const leaves = leafPaths(copy);
      const path = leaves[at % Math.max(1, leaves.length)];
      if (path)
        change.kind === 'remove' ? removeAt(copy, path) : setAt(copy, path, (old) => (change.kind === 'taint' ? `${String(old)}${change.text}` : change.value));
    }
    return copy;
  });
}
function leafPaths(value: unknown, path: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return path.length ? [path] : [];
  const inner = Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...path, k]));
  return path.length ? [path, ...inner] : inner;
}
function parentOf(root: unknown, path: string[]): Record<string, unknown> {
  let node = root as Record<string, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  return node;
}
function setAt(root: unknown, path: string[], change: (old: unknown) => unknown) {
  const node = parentOf(root, path);
  const last = path.at(-1) ?? '';
  node[last] = change(node[last]);
}
function removeAt(root: unknown, path: string[]) {
  delete parentOf(root, path)[path.at(-1) ?? ''];
}

// ---- Telegram ------------------------------------------------------------------------------

const chatId = fc.integer({ min: 1, max: 12 });
const telegramUpdate = fc.oneof(
  fc.tuple(chatId, citizenText).map(([chat, text]) => textUpdate(chat, text)),
  fc.tuple(chatId, action).map(([chat, data]) => callbackUpdate(chat, data)),
  fc.tuple(chatId, phone, fc.boolean()).map(([chat, number, own]) => contactUpdate(chat, number, own)),
);
const telegramBody = fc.oneof(
  { weight: 4, arbitrary: telegramUpdate },
  { weight: 3, arbitrary: mutated(telegramUpdate) },
  { weight: 1, arbitrary: anyJson(3) },
  { weight: 1, arbitrary: fc.record({ update_id: fc.integer(), message: anyJson(2) }) },
);

// ---- Zalo ----------------------------------------------------------------------------------

const zaloUser = fc.integer({ min: 1, max: 12 }).map((n) => `24684588352919${String(n).padStart(4, '0')}`);
const zaloEvent = fc.oneof(
  fc.record({
    event_name: fc.constantFrom('user_send_text', 'user_send_image', 'user_send_sticker'),
    sender: fc.record({ id: zaloUser }),
    message: fc.record({
      msg_id: fc.uuid(),
      text: fc.oneof(
        citizenText,
        action.map((a) => `#${a}`),
      ),
    }),
  }),
  fc.record({ event_name: fc.constantFrom('follow', 'unfollow'), follower: fc.record({ id: zaloUser }) }),
  fc.record({
    event_name: fc.constant('user_submit_info'),
    sender: fc.record({ id: zaloUser }),
    info: fc.record({ phone, name: fc.string({ maxLength: 30 }) }, { requiredKeys: ['phone'] }),
  }),
  fc.record({ event_name: fc.constant('user_click_button'), sender: fc.record({ id: zaloUser }), message: fc.record({ msg_id: fc.uuid(), payload: action }) }),
  fc.record({ event_name: fc.string({ maxLength: 20 }), sender: fc.record({ id: fc.string({ maxLength: 20 }) }) }),
);

// ---- web chat ------------------------------------------------------------------------------

/** A few sessions (valid cookie tokens), so conversations go on across runs, and new ones. */
const cookie = fc.option(fc.integer({ min: 0, max: 5 }).map((n) => `mc_chat=${String(n).repeat(32)}`));
const webMessage = fc.oneof(
  fc.record({ text: citizenText, id: fc.option(fc.uuid(), { nil: undefined }) }, { requiredKeys: ['text'] }),
  fc.record({ action }),
  fc.record({ start: fc.string({ maxLength: 40 }) }),
  fc.record({ text: anyJson(1), action: anyJson(1), start: anyJson(1), id: anyJson(1) }, { requiredKeys: [] }),
  anyJson(2),
);

// ---- the API, from its OpenAPI document ------------------------------------------------------

interface Operation {
  method: string;
  /** As the document writes it: `/dossiers/{code}`. */
  path: string;
  params: { name: string; in: string }[];
  contentType: string | undefined;
  /** The valid request of tests/support/api-routes.ts for this operation, when it has one. */
  example: ApiRouteCase | undefined;
}

async function operations(): Promise<Operation[]> {
  const res = await assistant.app.request('/api/v1/openapi.json');
  const doc = (await res.json()) as {
    paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: { content: Record<string, unknown> } }>>;
  };
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const documented = (r: ApiRouteCase) => (r.documentedAs ?? r.path.replace(/^\/api\/v1/, '').replace(/\?.*$/, '')) === path;
      return {
        method: method.toUpperCase(),
        path,
        params: op.parameters ?? [],
        contentType: Object.keys(op.requestBody?.content ?? {})[0],
        example: API_ROUTES.find((r) => r.method === method.toUpperCase() && documented(r)),
      };
    }),
  );
}

/** The example's value of each path and query parameter, so most requests get past the first check. */
function exampleValues(op: Operation): Record<string, string> {
  if (!op.example) return {};
  const url = new URL(op.example.path, 'http://x');
  const values = Object.fromEntries(url.searchParams);
  const template = op.path.split('/');
  url.pathname
    .replace(/^\/api\/v1/, '')
    .split('/')
    .forEach((segment, i) => {
      const name = /^\{(.+)\}$/.exec(template[i] ?? '')?.[1];
      if (name) values[name] = decodeURIComponent(segment);
    });
  return values;
}

const paramValue = fc.oneof(
  fc.constantFrom('1', '0', '-1', '999999', '1.5', 'MATRIX-0001', 'H19.22-261122-0001', 'submitted', '2026-11-01', 'true'),
  fc.string({ maxLength: 30 }),
  fc.integer().map(String),
  nasty,
);

type ApiInput = { values: (string | undefined)[]; body: { body?: BodyInit; type?: string }; token: Role };

function requestFor(op: Operation): fc.Arbitrary<ApiInput> {
  const sample = op.example?.body;
  const body: fc.Arbitrary<ApiInput['body']> =
    op.contentType === 'application/json'
      ? fc
          .oneof(sample === undefined ? anyJson(3) : fc.oneof(fc.constant(sample), mutated(fc.constant(sample)), mutated(fc.constant(sample))), anyJson(3))
          .map((value) => ({ body: JSON.stringify(value) ?? 'null', type: 'application/json' }))
      : op.contentType === 'text/csv'
        ? fc
            .oneof(
              fc.string({ maxLength: 300 }),
              fc.tuple(fc.constant(String(sample ?? '')), fc.nat(), fc.oneof(fc.string({ maxLength: 20 }), nasty)).map(([csv, at, text]) => {
                const cut = at % (csv.length + 1);
                return `${csv.slice(0, cut)}${text}${csv.slice(cut)}`;
              }),
            )
            .map((text) => ({ body: text, type: 'text/csv' }))
        : op.contentType === 'multipart/form-data'
          ? fc.dictionary(fc.constantFrom('title', 'kind', 'pages', 'officeId', 'file'), fc.oneof(fc.string({ maxLength: 20 }), nasty)).map((fields) => {
              const form = new FormData();
              for (const [key, value] of Object.entries(fields)) form.set(key, key === 'file' ? new File([value], 'x.pdf') : value);
              return { body: form };
            })
          : fc.constant({});
  const known = exampleValues(op);
  // The example's value mostly; a parameter the example leaves out is mostly left out too.
  const values = op.params.map((param) => {
    const good = known[param.name];
    if (good !== undefined) return fc.oneof({ weight: 2, arbitrary: fc.constant(good) }, { weight: 1, arbitrary: paramValue });
    return param.in === 'path' ? paramValue : fc.option(paramValue, { nil: undefined, freq: 2 });
  });
  // Mostly a role the operation allows, so the input reaches the route.
  const roles = op.example?.roles ?? ['admin'];
  const token = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...roles) }, { weight: 1, arbitrary: fc.constantFrom(...ROLES) });
  return fc.record({ values: values.length ? fc.tuple(...values) : fc.constant([] as (string | undefined)[]), body, token });
}

async function sendApi(op: Operation, input: ApiInput) {
  let path = `/api/v1${op.path}`;
  const query = new URLSearchParams();
  op.params.forEach((param, i) => {
    const value = input.values[i];
    // A URL carries UTF-8 only: a lone surrogate goes as U+FFFD, as a browser would send it.
    if (param.in === 'path') path = path.replace(`{${param.name}}`, encodeURIComponent(Buffer.from(value ?? '').toString()) || '0');
    else if (param.in === 'query' && value !== undefined) query.set(param.name, value);
  });
  const search = query.size ? `?${query}` : '';
  return assistant.app.request(`${path}${search}`, {
    method: op.method,
    headers: { authorization: `Bearer ${tokens.get(input.token)}`, ...(input.body.type ? { 'content-type': input.body.type } : {}) },
    ...(input.body.body !== undefined && op.method !== 'GET' ? { body: input.body.body } : {}),
  });
}

// ---- properties ----------------------------------------------------------------------------

describe(`fuzzing every input (${RUNS} runs per property, seed ${SEED})`, () => {
  it('answers every Telegram update below 500', async () => {
    await fc.assert(
      fc.asyncProperty(telegramBody, async (body) => {
        const res = await assistant.app.request('/webhooks/telegram', {
          method: 'POST',
          headers: { 'content-type': 'application/json', [SECRET_HEADER]: TELEGRAM_TEST_ENV.TELEGRAM_WEBHOOK_SECRET },
          body: JSON.stringify(body) ?? 'null',
        });
        expect(res.status, JSON.stringify(await res.text())).toBeLessThan(500);
      }),
      settings,
    );
    expectNoErrorsLogged();
  });

  it('answers every signed Zalo event below 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(zaloEvent, mutated(zaloEvent)), async (event) => {
        const { body, headers } = signedZaloEvent({ timestamp: String(assistant.clock.now().getTime()), ...(event as object) }, KEYS);
        const res = await assistant.app.request('/webhooks/zalo', { method: 'POST', body, headers });
        expect(res.status, await res.text()).toBeLessThan(500);
      }),
      settings,
    );
    expectNoErrorsLogged();
  });

  it('answers every web chat message below 500', async () => {
    await fc.assert(
      fc.asyncProperty(webMessage, cookie, async (message, session) => {
        const res = await assistant.app.request('/chat/messages', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(session ? { cookie: session } : {}) },
          body: JSON.stringify(message) ?? 'null',
        });
        expect(res.status, await res.text()).toBeLessThan(500);
      }),
      settings,
    );
    expectNoErrorsLogged();
  });

  it('answers every operation of the OpenAPI document below 500, whatever the body, query and path', async () => {
    const ops = await operations();
    expect(ops.length).toBeGreaterThanOrEqual(API_ROUTES.length - 5);
    for (const op of ops) {
      await fc.assert(
        fc.asyncProperty(requestFor(op), async (input) => {
          const res = await sendApi(op, input);
          expect(res.status, `${op.method} ${op.path}: ${await res.text()}`).toBeLessThan(500);
        }),
        { ...settings, numRuns: Math.max(10, Math.ceil(RUNS / 2)) },
      );
    }
    expectNoErrorsLogged();
  });
});
