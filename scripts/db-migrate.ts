// npm run db:migrate — applies pending migrations (app and Inngest engine) to DATABASE_URL,
// or to the embedded development database when DATABASE_URL is unset.
import { withDatabase } from './lib/database-url';
import { migrateAll } from './lib/migrate-all';

await withDatabase(async (url) => {
  const applied = await migrateAll(url, (line) => console.log(line));
  console.log(applied.length ? `${applied.length} migration(s) applied` : 'database is up to date');
});
