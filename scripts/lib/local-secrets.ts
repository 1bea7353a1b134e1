// Secrets for a local machine, generated once and kept in .data/secrets.json (git-ignored),
// so `npm run dev` needs no configuration and sessions and account tokens survive restarts.
// Variables already set in the environment always win.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const FILE = path.resolve(import.meta.dirname, '../../.data/secrets.json');
const NAMES = ['NEXTAUTH_SECRET', 'ACCOUNT_TOKEN_SECRET'] as const;

export function localSecrets(): Record<(typeof NAMES)[number], string> {
  let stored: Partial<Record<(typeof NAMES)[number], string>> = {};
  if (fs.existsSync(FILE)) stored = JSON.parse(fs.readFileSync(FILE, 'utf8'));
  let changed = false;
  for (const name of NAMES) {
    if (!stored[name]) {
      stored[name] = randomBytes(32).toString('base64url');
      changed = true;
    }
  }
  if (changed) {
    fs.mkdirSync(path.dirname(FILE), { recursive: true });
    fs.writeFileSync(FILE, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  return stored as Record<(typeof NAMES)[number], string>;
}

/** Fills in unset secrets in process.env from the local file. */
export function applyLocalSecrets(): void {
  for (const [name, value] of Object.entries(localSecrets())) process.env[name] ??= value;
}
