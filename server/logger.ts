// Structured logs through pino: one JSON object per line on stdout ({"level":"info","time":…,
// "msg":…, fields}), filtered by LOG_LEVEL (server/env.ts). Under Vitest (NODE_ENV=test) the
// default is `silent`, so tests print nothing unless LOG_LEVEL is set. Created on first use, so
// importing this module reads no environment (next build loads route modules without one).
import pino from 'pino';
import { env } from '@/server/env';

type Fields = Record<string, unknown>;

/** Where lines go: stdout, or the stream a test set with captureLogs(). */
let target: { write(line: string): unknown } = process.stdout;
let instance: pino.Logger | undefined;

function base(): pino.Logger {
  instance ??= pino(
    {
      level: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    { write: (line: string) => target.write(line) },
  );
  return instance;
}

/** The app's logger: `logger.info({ requestId, … }, 'message')`; an `err` field is serialized with its stack. */
export const logger = {
  debug: (fields: Fields, message: string) => base().debug(fields, message),
  info: (fields: Fields, message: string) => base().info(fields, message),
  warn: (fields: Fields, message: string) => base().warn(fields, message),
  error: (fields: Fields, message: string) => base().error(fields, message),
  isLevelEnabled: (level: 'debug' | 'info' | 'warn' | 'error') => base().isLevelEnabled(level),
};

/** Where a library's lines find the request they were written for (server/request-context.ts registers it; no import cycle). */
let requestIdSource: (() => string | undefined) | undefined;

/** Called once by server/request-context.ts: lets componentLogger's lines carry the request id. */
export function setRequestIdSource(source: () => string | undefined): void {
  requestIdSource = source;
}

/**
 * A logger for a library that logs pino-style, `(fields, message)` or `(message)` — the Inngest
 * SDK (`new Inngest({ logger })`): its lines go out as ours, JSON at their level, with
 * `component` set (and `requestId` when written while a request is answered), instead of as
 * plain text on the console. An Error first becomes `err`.
 */
export function componentLogger(component: string) {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (first?: unknown, ...rest: unknown[]): void => {
      const log = base();
      if (!log.isLevelEnabled(level)) return;
      const write = log[level].bind(log) as (fields: Fields, ...args: unknown[]) => void;
      // The request it was written during, so an operator can tie it to the request's line.
      const requestId = requestIdSource?.();
      const own = requestId ? { component, requestId } : { component };
      if (first instanceof Error) write({ ...own, err: first }, ...rest);
      else if (first !== null && typeof first === 'object') write({ ...own, ...(first as Fields) }, ...rest);
      else write(own, first, ...rest);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/**
 * For tests: sends every line (at `level` and above, whatever LOG_LEVEL says) to `lines`,
 * parsed, until the returned function is called.
 */
export function captureLogs(lines: Fields[], level: 'debug' | 'info' = 'info'): () => void {
  const logger = base();
  const previous = { target, level: logger.level };
  target = { write: (line: string) => lines.push(JSON.parse(line) as Fields) };
  logger.level = level;
  return () => {
    target = previous.target;
    logger.level = previous.level;
  };
}
