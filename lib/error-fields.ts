/**
 * An error as it may be logged. A failed query's error carries the values it was given: drizzle
 * writes every parameter into its message ("params: +84912345678,Nguyễn Văn An,…"), and the
 * database quotes the offending value ('invalid input syntax for type bigint: "…"', 'Key
 * (phone)=(+84…)'). Field-name masking cannot see inside these strings, so values are taken out
 * by shape: parameters are dropped, quoted values and SQL literals are replaced, and any phone
 * number left is masked. SQL text, identifiers, SQLSTATE codes and constraint names stay: they
 * are what an operator needs and hold no personal data.
 */
export interface LoggedError {
  name: string;
  message: string;
  stack?: string;
  /** The SQLSTATE of a database error (23505 for a unique violation). */
  code?: string;
  constraint?: string;
  cause?: LoggedError;
}

const SCRUBBED = '[scrubbed]';
/** Words after which PostgreSQL quotes a name, not a value. */
const IDENTIFIER_BEFORE =
  /(?:constraint|relation|column|table|index|schema|type|function|sequence|database|role|trigger|view|encoding|extension|operator|cursor|savepoint)\s*$/i;
/** Phone-like runs of digits (E.164 or national), in case a value got through some other way. */
const PHONE_LIKE = /\+?\d[\d .-]{7,}\d/g;

/** SQL keeps its double-quoted identifiers; a value can only be an inlined '…' literal. */
const scrubSql = (sql: string) => sql.replace(/'(?:[^']|'')*'/g, `'${SCRUBBED}'`).replace(PHONE_LIKE, SCRUBBED);

/** Takes the values out of a database or driver message (see the module comment). */
export function scrubMessage(message: string): string {
  // Drizzle: "Failed query: <sql>\nparams: <values>"; the values go, the SQL stays.
  const failed = /^Failed query: ([\s\S]*?)\nparams: [\s\S]*$/.exec(message);
  if (failed) return `Failed query: ${scrubSql(failed[1] ?? '')}\nparams: ${SCRUBBED}`;
  return message
    .replace(/\(([^()]*)\)=\(([^()]*(?:\([^()]*\)[^()]*)*)\)/g, `($1)=(${SCRUBBED})`)
    .replace(/'(?:[^']|'')*'/g, `'${SCRUBBED}'`)
    .replace(/"(?:[^"]|"")*"/g, (quoted: string, offset: number, whole: string) =>
      IDENTIFIER_BEFORE.test(whole.slice(Math.max(0, offset - 40), offset)) ? quoted : `"${SCRUBBED}"`,
    )
    .replace(PHONE_LIKE, SCRUBBED);
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The loggable shape of an error and its causes, with every message scrubbed; the stack keeps
 * only its frames (its first line repeats the message).
 *
 * @example loggedError(new DrizzleQueryError('insert into "citizens" ("phone") values ($1)', ['+84912345678'], cause))
 * // { name: 'Error', message: 'Failed query: insert into "citizens" ("phone") values ($1)\nparams: [scrubbed]', cause: { code: '23505', … } }
 */
export function loggedError(error: Error, depth = 0): LoggedError {
  const fields = error as Error & { code?: unknown; constraint?: unknown; constraint_name?: unknown };
  const message = scrubMessage(error.message);
  const frames = error.stack
    ?.split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n');
  const code = text(fields.code);
  const constraint = text(fields.constraint) ?? text(fields.constraint_name);
  return {
    name: error.name,
    message,
    ...(frames ? { stack: `${error.name}: ${message}\n${frames}` } : {}),
    ...(code ? { code } : {}),
    ...(constraint ? { constraint } : {}),
    ...(error.cause instanceof Error && depth < 3 ? { cause: loggedError(error.cause, depth + 1) } : {}),
  };
}
