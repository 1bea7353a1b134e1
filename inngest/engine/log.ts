// The engine's default log: JSON lines through pino on stdout, named `inngest-engine`. A line
// with fields is `info`: `call`, one per call to the app (requestId — also sent as
// X-Request-Id, so the app's own line for the call carries it — runId, functionId, step,
// attempt, outcome, ops or error: what it reported, durationMs), `checkpoint`, one per checkpoint the SDK posted during a
// call (runId, steps: how many results it carried), and `synced app`; `run failed` is `error`
// (runId, functionId, eventName, error: its name and message) and `run cancelled` `info`, one
// line when a run ends so. A plain line is `warn` (an unreachable app, a refused sync, an error). Filtered
// by LOG_LEVEL, the app's setting (default `info`; `silent` when NODE_ENV=test, as the app's
// logger), read here because the engine also runs on its own (cli.ts).
import pino from 'pino';

/** A line; with fields, at `level` (default `info`); a plain line is `warn`. */
export type EngineLog = (line: string, fields?: Record<string, unknown>, level?: 'info' | 'warn' | 'error') => void;

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

/** A pino-backed engine log writing to `destination` (stdout by default). */
export function pinoEngineLog(destination: { write(line: string): unknown } = process.stdout): EngineLog {
  const configured = process.env.LOG_LEVEL;
  const level = configured && LEVELS.has(configured) ? configured : process.env.NODE_ENV === 'test' ? 'silent' : 'info';
  const logger = pino(
    { name: 'inngest-engine', level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } },
    { write: (line: string) => destination.write(line) },
  );
  return (line, fields, level = 'info') => (fields ? logger[level](fields, line) : logger.warn(line));
}
