// Secrets for a local machine, generated once and kept in .data/secrets.json (git-ignored,
// mode 0600), so `npm run dev` needs no configuration and sessions, account tokens, the local
// Inngest engine's keys and the embedded PostgreSQL's passwords survive restarts. Variables
// already set in the environment always win.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { generateEngineKeys } from '../../inngest/engine/signing';
import { randomPassword } from './postgres';

/** Where local state lives: `.data/` (git-ignored), or DIRECTPAY_DATA_DIR (tests that run `npm start` use their own). */
export const DATA_DIR = process.env.DIRECTPAY_DATA_DIR ? path.resolve(process.env.DIRECTPAY_DATA_DIR) : path.resolve(import.meta.dirname, '../../.data');
const FILE = path.join(DATA_DIR, 'secrets.json');

/** How each secret is made, in Inngest's formats for its keys (`signkey-local-<hex>`). */
const GENERATORS = {
  NEXTAUTH_SECRET: () => randomBytes(32).toString('base64url'),
  ACCOUNT_TOKEN_SECRET: () => randomBytes(32).toString('base64url'),
  /** Signs the local engine's calls to /api/inngest; the app verifies them (README "Background work"). */
  INNGEST_SIGNING_KEY: () => generateEngineKeys('local').signingKey,
  /** The key the app sends events to the local engine with. */
  INNGEST_EVENT_KEY: () => generateEngineKeys('local').eventKey,
  /** The embedded PostgreSQL's superuser `postgres` (postgres.ts). Not an environment variable. */
  EMBEDDED_POSTGRES_PASSWORD: randomPassword,
  /** The embedded PostgreSQL's app role `directpay_app`. Not an environment variable. */
  EMBEDDED_POSTGRES_APP_PASSWORD: randomPassword,
  /** Under root, the superuser's password while initdb makes the cluster, until replaced (postgres.ts `init`). Not an environment variable. */
  EMBEDDED_POSTGRES_INIT_PASSWORD: randomPassword,
} as const;

type LocalSecretName = keyof typeof GENERATORS;

/** Secrets only the runner and scripts use: never copied into process.env (Next's children inherit it). */
const NOT_ENVIRONMENT: ReadonlySet<LocalSecretName> = new Set(['EMBEDDED_POSTGRES_PASSWORD', 'EMBEDDED_POSTGRES_APP_PASSWORD', 'EMBEDDED_POSTGRES_INIT_PASSWORD']);

/** Thrown when secrets.json cannot be used as it is: the message names the file and what to do. */
export class LocalSecretsError extends Error {}

/**
 * What secrets.json holds ({} when there is none). A file others may read (a copy, a chmod) is
 * made private again (0600) with a warning: it holds the superuser's password. One that is not a
 * JSON object of strings is refused with a message naming it, not a parser's stack.
 */
function readSecrets(): Partial<Record<LocalSecretName, string>> {
  let text: string;
  try {
    text = fs.readFileSync(FILE, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new LocalSecretsError(`cannot read ${FILE}: ${(error as Error).message}`);
  }
  const mode = fs.statSync(FILE).mode & 0o777;
  if (mode & 0o077) {
    fs.chmodSync(FILE, 0o600);
    console.warn(`[directpay] ${FILE} was readable by others (mode ${mode.toString(8)}); it holds the embedded PostgreSQL's passwords and the session secret: made it 0600`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    parsed = error;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || parsed instanceof Error || Object.values(parsed).some((value) => typeof value !== 'string')) {
    const why = parsed instanceof Error ? `it is not valid JSON (${parsed.message})` : 'it is not a JSON object of strings';
    throw new LocalSecretsError(
      `${FILE} cannot be used: ${why}. Restore it from a backup, or move it aside to have new secrets made — sessions and account tokens then end, and an existing embedded PostgreSQL under ${DATA_DIR} can no longer be opened`,
    );
  }
  return parsed as Partial<Record<LocalSecretName, string>>;
}

/**
 * The local secrets, generating and saving (mode 0600) any that are missing; with
 * `create: false` only those already in the file, and nothing is written.
 */
export function localSecrets(options: { create: boolean } = { create: true }): Partial<Record<LocalSecretName, string>> {
  const stored = readSecrets();
  if (!options.create) return stored;
  let changed = false;
  for (const [name, generate] of Object.entries(GENERATORS) as [LocalSecretName, () => string][]) {
    if (!stored[name]) {
      stored[name] = generate();
      changed = true;
    }
  }
  if (changed) {
    fs.mkdirSync(path.dirname(FILE), { recursive: true });
    fs.writeFileSync(FILE, JSON.stringify(stored, null, 2), { mode: 0o600 });
    // `mode` applies only to a new file: one written before keeps its own otherwise.
    fs.chmodSync(FILE, 0o600);
  }
  return stored;
}

/**
 * Fills in unset secrets in process.env from the local file. The INNGEST_* keys only when the
 * local engine runs (`inngestKeys`); beside Inngest Cloud or the Dev Server they are not ours.
 * `create: false` (read-only scripts): only what the file already holds; nothing is written.
 */
export function applyLocalSecrets(options: { inngestKeys: boolean; create?: boolean } = { inngestKeys: true }): void {
  for (const [name, value] of Object.entries(localSecrets({ create: options.create ?? true }))) {
    if (NOT_ENVIRONMENT.has(name as LocalSecretName) || (!options.inngestKeys && name.startsWith('INNGEST_'))) continue;
    process.env[name] ??= value;
  }
}

/**
 * NEXTAUTH_URL for this machine when unset: http://localhost:$PORT (3000). The app's environment
 * (server/env.ts) needs it, or INNGEST_SERVE_ORIGIN, even in a script that only reads the database.
 */
export function applyLocalUrl(): void {
  process.env.NEXTAUTH_URL ??= `http://localhost:${process.env.PORT ?? 3000}`;
}
