// The validated environment: the only module that reads process.env. Parsed on first use
// (not at import) so `next build` can load route modules without secrets; the server checks
// it at start-up in instrumentation.ts and refuses to start naming the bad variable.
import { isIP } from 'node:net';
import { z } from 'zod';

const booleanFlag = z
  .enum(['0', '1', 'true', 'false'])
  .transform((value) => value === '1' || value === 'true');

/** One CIDR block of TRUSTED_PROXIES, e.g. 10.0.0.0/8 or fd00::/8 (a bare address is /32 or /128). */
export interface Cidr {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/**
 * Which proxies in front of the app may be believed about the client's address
 * (server/client-address.ts): a hop count (how many proxies append to X-Forwarded-For before
 * the app; 0 = none, the socket peer is the client), or a comma-separated CIDR list (entries
 * from addresses in it are skipped, from the right).
 */
const trustedProxies = z
  .string()
  .trim()
  .default('0')
  .transform((value, ctx): { hops: number } | { cidrs: Cidr[] } => {
    if (value === '') return { hops: 0 };
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      if (hops <= 10) return { hops };
      ctx.addIssue({ code: 'custom', message: 'a hop count must be 0–10' });
      return z.NEVER;
    }
    const cidrs: Cidr[] = [];
    for (const part of value.split(',').map((item) => item.trim())) {
      const [address = '', prefixText, extra] = part.split('/');
      const version = isIP(address);
      const max = version === 4 ? 32 : 128;
      const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
      if (!version || extra !== undefined || !(prefix >= 0 && prefix <= max)) {
        ctx.addIssue({ code: 'custom', message: `"${part}" is not a hop count or a CIDR block such as 10.0.0.0/8` });
        return z.NEVER;
      }
      cidrs.push({ address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' });
    }
    return { cidrs };
  });

/** Inngest's signing key format; the SDK hex-decodes the part after `signkey-<env>-`. */
const signingKey = z.string().regex(/^signkey-\w+-(?:[0-9a-f]{2})+$/, 'must look like signkey-<env>-<hex> (Inngest\'s format)');

/** INNGEST_DEV as the SDK reads it: a boolean, or the Dev Server's URL (which means dev mode). */
function inngestDevMode(value: string | undefined): boolean {
  if (value === undefined || value === '') return false;
  return !['0', 'false'].includes(value.toLowerCase());
}

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgresql:// connection string' }),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * Longest one of the app's statements may run, lock waits included (PostgreSQL's
   * statement_timeout for its sessions, ms); the app gives up on a server that sends nothing for
   * 5 s longer than this (server/db.ts withAnswerDeadline). Either is answered 503.
   */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
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
  /** Shows the background-runs dashboard at /dev/inngest outside development (to operators only). */
  OPERATOR_DASHBOARD: booleanFlag.default(false),
  /**
   * The demo accounts (README; public passwords): seeded at start-up and allowed to sign in with
   * those passwords. Unset: on except in production (demoAccountsOn).
   */
  DIRECTPAY_DEMO_SEED: booleanFlag.optional(),
  /**
   * Operators: comma-separated emails of verified accounts that may use /dev/inngest and operator-only
   * procedures (server/domain/operators.ts). Compared lower-cased. Empty: nobody (in
   * development the demo operator, operator@directpay.test, is one regardless).
   */
  OPERATOR_EMAILS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((email) => email.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.email({ error: 'must be a comma-separated list of email addresses' }))),
  /** Sign-in attempts allowed from one client address per 15 minutes, any email, right or wrong (see server/domain/rate-limit.ts). */
  SIGN_INS_PER_ADDRESS_PER_15_MINUTES: z.coerce.number().int().min(1).max(100_000).default(50),
  /** Sign-ups allowed from one client address per hour (see server/domain/rate-limit.ts). */
  SIGN_UPS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(20),
  /** Who the client is behind proxies: a hop count or a CIDR list (see above); 0 = the socket peer. */
  TRUSTED_PROXIES: trustedProxies,
  /** payment.create / retry / cancel calls one user may make per minute. */
  PAYMENT_MUTATIONS_PER_USER_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
  /** apiToken.create / revoke calls one user may make per hour. */
  API_TOKEN_MUTATIONS_PER_USER_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(60),
  /** Least severe log line written (server/logger.ts). Unset: `info`, or `silent` under Vitest (NODE_ENV=test). */
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).optional(),
  /**
   * Bearer token for GET /api/metrics (server/metrics.ts). Unset: the endpoint answers 404 in
   * every mode (metrics off); set: 401 without `Authorization: Bearer <token>`. At least 16 characters.
   */
  METRICS_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  /**
   * Browser origins (scheme://host[:port], comma-separated, exact) whose pages may call
   * /api/v1, /api/openapi.json and /api/trpc cross-origin (server/cors.ts). Empty (default):
   * none; `*` is not accepted.
   */
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
    .pipe(
      z.array(
        z.string().refine((origin) => {
          try {
            return /^https?:$/.test(new URL(origin).protocol) && new URL(origin).origin === origin;
          } catch {
            return false;
          }
        }, 'must be a comma-separated list of origins such as https://app.example.com (scheme, host and port only)'),
      ),
    ),
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
  /** Days the embedded mail catcher keeps a caught mail (its body holds one-time links) before the recovery sweep deletes it. */
  CAUGHT_MAIL_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  // Background work (Inngest; README "Background work"). The app always checks the signature
  // of every call to /api/inngest, except in the real Inngest Dev Server's dev mode. The SDK
  // reads INNGEST_BASE_URL, INNGEST_DEV and INNGEST_ENV itself; they are validated here.
  /** Verifies the engine's (or Inngest's) calls to /api/inngest; authenticates syncs. Required unless INNGEST_DEV. */
  INNGEST_SIGNING_KEY: signingKey.optional(),
  /** The previous signing key while rotating to a new one. */
  INNGEST_SIGNING_KEY_FALLBACK: signingKey.optional(),
  /** The key events are sent with. Required unless INNGEST_DEV. */
  INNGEST_EVENT_KEY: z.string().min(1).optional(),
  /** Where the event and sync APIs are: the local engine's URL (`npm run dev`/`npm start` set it); unset for Inngest Cloud. */
  INNGEST_BASE_URL: z.url().optional(),
  /** Only for the real Inngest Dev Server (`npx inngest-cli dev`): dev mode, in which nothing is signed. */
  INNGEST_DEV: z.string().optional(),
  /**
   * The origin the app reports as its serve URL when it syncs (with INNGEST_SERVE_PATH), instead
   * of one taken from a request's Host header. Defaults to NEXTAUTH_URL's origin.
   */
  INNGEST_SERVE_ORIGIN: z.url().optional(),
  INNGEST_SERVE_PATH: z.string().startsWith('/').default('/api/inngest'),
  /**
   * Seconds the local engine's oldest due run may wait for a worker before /api/health reports
   * the engine `behind` (the portal's own status stays 200: a busy engine is no reason to take
   * it out of a load balancer).
   */
  INNGEST_ENGINE_BEHIND_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
});

const checkedSchema = schema
  .superRefine((value, ctx) => {
    if (inngestDevMode(value.INNGEST_DEV)) return;
    for (const name of ['INNGEST_SIGNING_KEY', 'INNGEST_EVENT_KEY'] as const) {
      if (!value[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required (unless INNGEST_DEV points the app at the Inngest Dev Server)' });
    }
    if (value.NODE_ENV === 'production' && !value.SMTP_URL) {
      ctx.addIssue({ code: 'custom', path: ['SMTP_URL'], message: 'is required in production (`npm start` sets it to its embedded mail catcher when unset)' });
    }
    if (!value.INNGEST_SERVE_ORIGIN && !value.NEXTAUTH_URL) {
      ctx.addIssue({ code: 'custom', path: ['INNGEST_SERVE_ORIGIN'], message: 'is required when NEXTAUTH_URL is not set (the URL Inngest calls must not come from a request)' });
    }
  })
  .transform((value) => ({
    ...value,
    INNGEST_DEV: inngestDevMode(value.INNGEST_DEV),
    INNGEST_SERVE_ORIGIN: value.INNGEST_SERVE_ORIGIN ?? (value.NEXTAUTH_URL ? new URL(value.NEXTAUTH_URL).origin : undefined),
  }));

export type Env = z.output<typeof checkedSchema>;

export class EnvError extends Error {}

let parsed: Env | undefined;

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = checkedSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new EnvError(`Invalid environment; fix these variables:\n${lines.join('\n')}`);
  }
  return result.data;
}

/**
 * One boolean setting read by the rule of every boolean setting here: `true`/`1` or
 * `false`/`0`; unset is undefined. Anything else (`TRUE`, `yes`, ` true`, ``) throws EnvError
 * naming `name`. For code that reads a setting before the whole environment exists (the runner).
 */
export function booleanSetting(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const result = booleanFlag.safeParse(value);
  if (!result.success) throw new EnvError(`Invalid environment; fix these variables:\n  ${name}: ${result.error.issues[0]?.message ?? 'invalid'}`);
  return result.data;
}

/**
 * Whether the demo accounts (server/domain/demo.ts; their passwords are public) are on: seeded
 * at start-up and allowed to sign in with those passwords. DIRECTPAY_DEMO_SEED decides
 * (`setting`, as parsed); unset, they are on except in production (`npm start`, NODE_ENV=production).
 */
export function demoAccountsOn(production: boolean, setting: boolean | undefined): boolean {
  return setting ?? !production;
}

/** demoAccountsOn for the running app. */
export function demoAccountsAllowed(): boolean {
  return demoAccountsOn(env.NODE_ENV === 'production', env.DIRECTPAY_DEMO_SEED);
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
