// Vitest global setup: one PostgreSQL for the whole run (embedded, or DATABASE_URL's server),
// and one template database migrated once, as in production: by the owner, with the app's
// least-privilege role granted its rights. Each test file clones the template (database.ts).
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { APP_ROLE, ensureAppRole, ensureDatabase, startEmbeddedPostgres, type RunningPostgres } from '../../scripts/lib/postgres';
import { migrateAll } from '../../scripts/lib/migrate-all';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    templateDatabase: string;
    /** The role the app connects as (not the owner; reads and writes rows only). */
    pgAppRole: { user: string; password: string };
  }
}

let server: RunningPostgres | undefined;

function serverUrl(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export default async function setup(project: TestProject) {
  let adminUrl: string;
  // The embedded server's roles have random passwords of their own; on DATABASE_URL's server
  // the app's role is created with APP_ROLE's if missing.
  let appRole: { user: string; password: string } = APP_ROLE;
  if (process.env.DATABASE_URL) {
    adminUrl = serverUrl(process.env.DATABASE_URL, 'postgres');
  } else {
    server = await startEmbeddedPostgres({ dir: path.join(os.tmpdir(), `directpay-test-pg-${process.pid}`), persistent: false });
    adminUrl = server.url('postgres');
    appRole = server.appRole;
  }
  const template = `directpay_template_${process.pid}`;
  await ensureAppRole(adminUrl, appRole);
  await ensureDatabase(adminUrl, template);
  await migrateAll(serverUrl(adminUrl, template), undefined, { appRole: appRole.user });
  project.provide('pgAdminUrl', adminUrl);
  project.provide('templateDatabase', template);
  project.provide('pgAppRole', appRole);

  return async () => {
    if (server) await server.stop();
    else {
      const pg = await import('pg');
      const client = new pg.default.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists "${template}" with (force)`);
      await client.end();
    }
  };
}
