// npm run db:new -- <name> — writes the next migration from the change to prisma/schema.prisma
// since the last migration, without Prisma's native engine: the diff comes from the schema
// engine compiled to WebAssembly, between the last migration's schema snapshot and today's
// schema. Add hand-written SQL (CHECKs, partial indexes, triggers) below the generated part
// before applying it; the drift test checks the result matches schema.prisma.
import fs from 'node:fs';
import path from 'node:path';
import { readMigrations, PRISMA_MIGRATIONS } from './lib/migrator';
import { diffDatamodels } from './lib/schema-diff';
import { withDatabase } from './lib/database-url';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:new -- <name>   (lower-case letters, digits and _)');
  process.exit(2);
}

const schemaPath = path.resolve(import.meta.dirname, '../prisma/schema.prisma');
const schema = fs.readFileSync(schemaPath, 'utf8');
const migrations = readMigrations(PRISMA_MIGRATIONS.dir);
const last = migrations.at(-1);
const snapshotPath = last ? path.join(PRISMA_MIGRATIONS.dir, last.name, 'schema.prisma') : null;
const previous = snapshotPath && fs.existsSync(snapshotPath) ? fs.readFileSync(snapshotPath, 'utf8') : null;

// The engine wants a connected adapter although a datamodel diff never queries it.
const sql = await withDatabase(({ migrationUrl }) => diffDatamodels(previous, schema, migrationUrl), () => undefined);
if (!sql.trim()) {
  console.log('prisma/schema.prisma has not changed since the last migration; nothing to write.');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
const dir = path.join(PRISMA_MIGRATIONS.dir, `${stamp}_${name}`);
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'migration.sql'), sql);
fs.copyFileSync(schemaPath, path.join(dir, 'schema.prisma'));
console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql — review it, add hand-written SQL if needed, then npm run db:migrate`);
