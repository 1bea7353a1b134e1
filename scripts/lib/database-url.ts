// For command-line scripts: the database to work on. DATABASE_URL when set; otherwise the
// embedded PostgreSQL under .data/ that `npm run dev` uses (started for the duration).
import path from 'node:path';
import { ensureDatabase, startEmbeddedPostgres } from './postgres';
import { applyLocalSecrets, DATA_DIR } from './local-secrets';

export const EMBEDDED_DIR = path.join(DATA_DIR, 'postgres');
export const EMBEDDED_DATABASE = 'directpay';

export async function withDatabase<T>(run: (databaseUrl: string) => Promise<T>, log: (line: string) => void = console.log): Promise<T> {
  applyLocalSecrets();
  const configured = process.env.DATABASE_URL;
  if (configured) return run(configured);
  const server = await startEmbeddedPostgres({ dir: EMBEDDED_DIR, persistent: true, log });
  try {
    await ensureDatabase(server.url('postgres'), EMBEDDED_DATABASE);
    return await run(server.url(EMBEDDED_DATABASE));
  } finally {
    await server.stop();
  }
}
