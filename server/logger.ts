// Structured logs: one JSON object per line on stdout/stderr, filtered by LOG_LEVEL.
import { env } from '@/server/env';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof LEVELS;

function write(level: Level, fields: Record<string, unknown>, message: string) {
  if (LEVELS[level] < LEVELS[env.LOG_LEVEL]) return;
  const err = fields.err instanceof Error ? { err: { name: fields.err.name, message: fields.err.message, stack: fields.err.stack } } : {};
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields, ...err });
  (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line + '\n');
}

export const logger = {
  debug: (fields: Record<string, unknown>, message: string) => write('debug', fields, message),
  info: (fields: Record<string, unknown>, message: string) => write('info', fields, message),
  warn: (fields: Record<string, unknown>, message: string) => write('warn', fields, message),
  error: (fields: Record<string, unknown>, message: string) => write('error', fields, message),
};
