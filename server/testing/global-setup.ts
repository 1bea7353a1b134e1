// Vitest global setup: one PostgreSQL for the whole run (embedded, or DATABASE_URL's server),
// and one template database migrated once. Each test file clones the template (database.ts).
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureDatabase, startEmbeddedPostgres, type RunningPostgres } from '../../scripts/lib/postgres';
import { migrateAll } from '../../scripts/lib/migrate-all';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    templateDatabase: string;
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
  if (process.env.DATABASE_URL) {
    adminUrl = serverUrl(process.env.DATABASE_URL, 'postgres');
  } else {
    server = await startEmbeddedPostgres({ dir: path.join(os.tmpdir(), `directpay-test-pg-${process.pid}`), persistent: false });
    adminUrl = server.url('postgres');
  }
  const template = `directpay_template_${process.pid}`;
  await ensureDatabase(adminUrl, template);
  await migrateAll(serverUrl(adminUrl, template));
  project.provide('pgAdminUrl', adminUrl);
  project.provide('templateDatabase', template);

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
