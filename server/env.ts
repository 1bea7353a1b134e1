// The validated environment: the only module that reads process.env. Parsed on first use
// (not at import) so `next build` can load route modules without secrets; the server checks
// it at start-up in instrumentation.ts and refuses to start naming the bad variable.
import { z } from 'zod';

const booleanFlag = z
  .enum(['0', '1', 'true', 'false'])
  .transform((value) => value === '1' || value === 'true');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgresql:// connection string' }),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  NEXTAUTH_SECRET: z.string().min(32, 'must be at least 32 characters (generate one with `openssl rand -base64 32`)'),
  NEXTAUTH_URL: z.url().optional(),
  /** Key of the HMAC that turns bank account numbers into comparable tokens. */
  ACCOUNT_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters'),
  /**
   * The demo clock: each real-calendar duration of a payment (batch windows, settlement, return
   * windows, the simulator's returns) plays at this fraction of real time, counted from the
   * payment's creation (calendar.ts `scaledInstant`). 1 = real time; the default 1/2880 plays
   * one calendar day in 30 seconds; tests use far less.
   */
  SETTLEMENT_TIME_SCALE: z.coerce.number().positive().max(1).default(1 / 2880),
  /** Share of settlements the bank simulator lets succeed (0..1). */
  BANK_SUCCESS_RATE: z.coerce.number().min(0).max(1).default(0.9),
  /** Shows the background-runs dashboard at /dev/inngest outside development. */
  OPERATOR_DASHBOARD: booleanFlag.default(false),
  /** Sign-ups allowed from one client address per hour (see server/domain/rate-limit.ts). */
  SIGN_UPS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(20),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type Env = z.infer<typeof schema>;

export class EnvError extends Error {}

let parsed: Env | undefined;

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new EnvError(`Invalid environment; fix these variables:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** The environment, validated once on first access. */
export const env: Env = new Proxy({} as Env, {
  get(_target, key: string) {
    parsed ??= loadEnv();
    return parsed[key as keyof Env];
  },
});

/** Tests change variables between files; they call this to re-read them. */
export function resetEnvForTests(): void {
  parsed = undefined;
}
