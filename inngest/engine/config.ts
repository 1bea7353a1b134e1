// What the engine accepts in a synced function config (see the SDK's `getConfig` and
// `functionConfigSchema`). Settings the engine does not implement are refused at sync with
// a message naming them, never accepted and silently ignored: a function that relies on
// `throttle` must not appear to work here and then behave differently on Inngest.
import { z } from 'zod';
import { parseCron, CronError } from './cron';
import { parseDuration } from './duration';
import { compileExpression, ExpressionError } from './expression';

/** Inngest's own default: 4 retries, so 5 attempts. */
export const DEFAULT_RETRIES = 4;

const SUPPORTED_KEYS = new Set(['id', 'name', 'triggers', 'steps', 'idempotency', 'concurrency', 'cancel', 'priority']);

const concurrencySchema = z.strictObject({
  limit: z.number().int().min(0),
  key: z.string().min(1).optional(),
  scope: z.enum(['fn', 'env', 'account']).optional(),
});

const configSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().optional(),
  triggers: z.array(
    z.union([
      z.strictObject({ event: z.string().min(1), expression: z.string().min(1).optional() }),
      z.strictObject({ cron: z.string().min(1) }),
    ]),
  ),
  steps: z.strictObject({
    step: z.strictObject({
      id: z.literal('step'),
      name: z.string(),
      runtime: z.strictObject({ type: z.literal('http'), url: z.url() }),
      retries: z.strictObject({ attempts: z.number().int().min(0).max(20).optional() }).optional(),
    }),
  }),
  idempotency: z.string().min(1).optional(),
  concurrency: z.union([z.number().int().min(0), concurrencySchema, z.array(concurrencySchema).min(1).max(2)]).optional(),
  cancel: z.array(z.strictObject({ event: z.string().min(1), if: z.string().min(1).optional(), timeout: z.string().optional() })).optional(),
  priority: z.strictObject({ run: z.string().min(1).optional() }).optional(),
});

export type FunctionConfig = z.infer<typeof configSchema>;

/** A config's `concurrency` setting (a number, one limit or a list) as a list of limits. */
export function concurrencyLimits(concurrency: FunctionConfig['concurrency']): z.infer<typeof concurrencySchema>[] {
  if (typeof concurrency === 'number') return [{ limit: concurrency }];
  if (Array.isArray(concurrency)) return concurrency;
  return concurrency ? [concurrency] : [];
}

export interface ConcurrencyRule {
  limit: number;
  key?: string;
  scope: 'fn' | 'env' | 'account';
}

export interface FunctionDefinition {
  id: string;
  name: string;
  /** The serve URL for this function's calls (`?fnId=…&stepId=step`). */
  url: string;
  maxAttempts: number;
  events: { event: string; expression?: string }[];
  crons: string[];
  idempotency?: string;
  concurrency: ConcurrencyRule[];
  cancel: { event: string; if?: string; timeoutMs?: number }[];
  /** `priority.run`: an expression of the event giving the run's priority factor in seconds (runs.ts priorityOf). */
  priority?: string;
  config: FunctionConfig;
}

export class ConfigError extends Error {}

function checkExpression(fnId: string, where: string, source: string | undefined): void {
  if (source === undefined) return;
  try {
    compileExpression(source);
  } catch (error) {
    // ExpressionError, or a RangeError from an expression nested past the parser's stack.
    throw new ConfigError(`function "${fnId}": ${where} expression is not supported by the local engine: ${error instanceof ExpressionError ? error.message : 'it is nested too deeply'}`);
  }
}

/** Validates one function config from a sync; throws ConfigError explaining any refusal. */
export function defineFunction(raw: unknown): FunctionDefinition {
  const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : '(no id)';
  if (typeof raw === 'object' && raw !== null) {
    const unsupported = Object.keys(raw).filter((key) => !SUPPORTED_KEYS.has(key) && (raw as Record<string, unknown>)[key] !== undefined);
    if (unsupported.length) {
      throw new ConfigError(
        `function "${id}" uses ${unsupported.map((key) => `\`${key}\``).join(', ')}, which the local engine does not implement; ` +
          'remove it or run the app against the Inngest Dev Server or Inngest Cloud',
      );
    }
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(config)'}: ${issue.message}`).join('; ');
    throw new ConfigError(`function "${id}" has a config the local engine does not support: ${problems}`);
  }
  const config = parsed.data;
  const events: FunctionDefinition['events'] = [];
  const crons: string[] = [];
  for (const trigger of config.triggers) {
    if ('cron' in trigger) {
      try {
        parseCron(trigger.cron);
      } catch (error) {
        if (error instanceof CronError) throw new ConfigError(`function "${id}": ${error.message}`);
        throw error;
      }
      crons.push(trigger.cron);
    } else {
      checkExpression(id, `trigger "${trigger.event}"`, trigger.expression);
      events.push({ event: trigger.event, expression: trigger.expression });
    }
  }
  checkExpression(id, 'idempotency', config.idempotency);
  const concurrency: ConcurrencyRule[] = [];
  for (const rule of concurrencyLimits(config.concurrency)) {
    checkExpression(id, 'concurrency key', rule.key);
    const scope = rule.scope ?? 'fn';
    if (scope !== 'fn' && !rule.key) throw new ConfigError(`function "${id}": a concurrency limit with scope "${scope}" needs a key`);
    // A limit of 0 means "no limit of its own" on Inngest.
    if (rule.limit > 0) concurrency.push({ limit: rule.limit, key: rule.key, scope });
  }
  const cancel: FunctionDefinition['cancel'] = [];
  for (const rule of config.cancel ?? []) {
    checkExpression(id, `cancelOn "${rule.event}"`, rule.if);
    let timeoutMs: number | undefined;
    if (rule.timeout !== undefined) {
      const parsedTimeout = parseDuration(rule.timeout);
      if (parsedTimeout === null) throw new ConfigError(`function "${id}": cancelOn timeout "${rule.timeout}" is not a duration`);
      timeoutMs = parsedTimeout;
    }
    cancel.push({ event: rule.event, if: rule.if, timeoutMs });
  }
  checkExpression(id, 'priority.run', config.priority?.run);
  return {
    id: config.id,
    name: config.name ?? config.id,
    url: config.steps.step.runtime.url,
    maxAttempts: (config.steps.step.retries?.attempts ?? DEFAULT_RETRIES) + 1,
    events,
    crons,
    idempotency: config.idempotency,
    concurrency,
    cancel,
    priority: config.priority?.run,
    config,
  };
}

/** The trigger names an event can match: itself, and each `prefix/*` wildcard above it. */
export function triggerNamesFor(eventName: string): string[] {
  const names = [eventName];
  for (let i = eventName.indexOf('/'); i >= 0; i = eventName.indexOf('/', i + 1)) names.push(`${eventName.slice(0, i + 1)}*`);
  return names;
}
