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
  /** Multiplies every rail delay: 1 for the demo timings, 0.001 in tests. */
  SETTLEMENT_TIME_SCALE: z.coerce.number().min(0).max(1000).default(1),
  /** Share of settlements the bank simulator lets succeed (0..1). */
  BANK_SUCCESS_RATE: z.coerce.number().min(0).max(1).default(0.9),
  /** Shows the background-runs dashboard at /dev/inngest outside development. */
  OPERATOR_DASHBOARD: booleanFlag.default(false),
  /** Sign-ups allowed from one client address per hour (see server/domain/rate-limit.ts). */
  SIGN_UPS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(20),
  /**
   * Where mail goes: smtp://user:pass@host:port (smtps:// for TLS). Unset: `npm run dev` and
   * `npm start` run an embedded mail catcher and set it; operators read its mail at /dev/mail.
   */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  /** The From header of every mail. */
  MAIL_FROM: z.string().min(3).default('DirectPay <no-reply@directpay.test>'),
  /**
   * Lets webhook endpoints point at loopback, private and link-local addresses. Unset: allowed
   * in development and tests, refused in production (SSRF).
   */
  WEBHOOK_ALLOW_PRIVATE_TARGETS: booleanFlag.optional(),
  /** Multiplies the webhook retry schedule (1 = the real ~27 hours; tests shrink it). */
  WEBHOOK_BACKOFF_SCALE: z.coerce.number().min(0).max(1000).default(1),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
}).refine((value) => value.NODE_ENV !== 'production' || value.SMTP_URL, {
  path: ['SMTP_URL'],
  error: 'is required in production (`npm start` sets it to its embedded mail catcher when unset)',
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

/** Whether webhooks may go to loopback/private addresses (see WEBHOOK_ALLOW_PRIVATE_TARGETS). */
export function webhookPrivateTargetsAllowed(): boolean {
  return env.WEBHOOK_ALLOW_PRIVATE_TARGETS ?? env.NODE_ENV !== 'production';
}

/** The portal's public origin, for links in mail. */
export function publicUrl(path: string): string {
  return new URL(path, env.NEXTAUTH_URL ?? 'http://localhost:3000').toString();
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
