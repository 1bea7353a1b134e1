// npm run db:migrate — applies pending migrations (app and Inngest engine) as
// MIGRATION_DATABASE_URL (or DATABASE_URL), then grants DATABASE_URL's role the app's rights;
// with neither set, to the embedded development database.
import { withDatabase } from './lib/database-url';
import { migrateAll } from './lib/migrate-all';

await withDatabase(async ({ migrationUrl, appRole }) => {
  const applied = await migrateAll(migrationUrl, (line) => console.log(line), { appRole });
  console.log(applied.length ? `${applied.length} migration(s) applied` : 'database is up to date');
});
