import { systemClock } from './clock';
import { loggedError } from './error-fields';
import { maskPhone } from './phone';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(bindings: Record<string, unknown>): Logger;
  /** Whether a line at `level` would be written (to skip building fields nobody reads). */
  enabled(level: LogLevel): boolean;
}

export interface LoggerOptions {
  level: LogLevel;
  /** Where lines go; defaults to stdout. Tests pass an array sink. */
  write?: (line: string) => void;
}

/**
 * One JSON object per line. Fields whose name mentions a phone are masked here, once, so no
 * caller can forget to (DESIGN: phone numbers are masked in logs), and errors are logged without
 * the values they carry (loggedError).
 */
export function createLogger(options: LoggerOptions, bindings: Record<string, unknown> = {}): Logger {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (RANK[level] < RANK[options.level]) return;
    const record: Record<string, unknown> = { time: systemClock.now().toISOString(), level, msg, ...bindings };
    for (const [key, value] of Object.entries(fields ?? {})) record[key] = sanitize(key, value);
    write(JSON.stringify(record));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (more) => createLogger(options, { ...bindings, ...more }),
    enabled: (level) => RANK[level] >= RANK[options.level],
  };
}

function sanitize(key: string, value: unknown): unknown {
  // Errors lose the values they carry (a failed query's parameters): lib/error-fields.ts.
  if (value instanceof Error) return loggedError(value);
  if (typeof value === 'string' && /phone/i.test(key)) return maskPhone(value);
  return value;
}

/** A logger that drops everything, for tests that do not look at logs. */
export const silentLogger: Logger = createLogger({ level: 'error', write: () => {} });
