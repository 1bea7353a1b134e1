// npm run mail:read -- <address> [count] — the mail the embedded catcher caught for one address,
// newest first (time, subject, text), for whoever has a shell on the server. Where no SMTP
// server is configured, this is how the first operator reads their verification link: /dev/mail
// shows caught mail to verified operators only, so it cannot be the way in. Connects as the
// owner (MIGRATION_DATABASE_URL, else DATABASE_URL, else the embedded development database,
// the one a running `npm start` uses) and only reads.
import pg from 'pg';
import { withDatabase } from './lib/database-url';

interface Caught {
  receivedAt: Date;
  subject: string;
  text: string | null;
}

/** The last `count` mails caught for `address` (any letter case), newest first. */
export async function caughtMailFor(databaseUrl: string, address: string, count = 5): Promise<Caught[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<Caught>(
      `select "receivedAt", subject, text from "CaughtMail"
        where exists (select 1 from unnest("to") recipient where lower(recipient) = lower($1))
        order by "receivedAt" desc limit $2`,
      [address.trim(), count],
    );
    return rows;
  } finally {
    await client.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [address, countText] = process.argv.slice(2);
  const count = Number(countText ?? 5);
  if (!address?.includes('@') || !Number.isInteger(count) || count < 1) {
    console.error('usage: npm run mail:read -- <address> [count, default 5]');
    process.exit(2);
  }
  const mails = await withDatabase(({ migrationUrl }) => caughtMailFor(migrationUrl, address, count), () => undefined);
  if (!mails.length) console.log(`No mail caught for ${address}.`);
  for (const mail of mails) console.log(`--- ${mail.receivedAt.toISOString()}  ${mail.subject}\n${mail.text ?? '(no text part)'}\n`);
  process.exit(0);
}
