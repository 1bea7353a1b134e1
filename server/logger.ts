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
