// npm run mail:read -- <address> [count] — the mail the embedded catcher caught for one address,
// newest first (time, subject, text), for whoever has a shell on the server. Where no SMTP
// server is configured, this is how the first operator reads their verification link: /dev/mail
// shows caught mail to verified operators only, so it cannot be the way in. Connects as the
// owner (MIGRATION_DATABASE_URL, else DATABASE_URL, else the embedded development database,
// the one a running `npm start` uses) and only reads: it creates no database, role or file.
import pg from 'pg';
import { describeScriptFailure, withDatabase } from './lib/database-url';

/** Most mails one call prints. */
const MAX_COUNT = 1000;
const USAGE = `usage: npm run mail:read -- <address> [count: 1–${MAX_COUNT}, default 5]`;

/**
 * The command line's address and count, or the sentence naming what is wrong with it. `count`
 * is a decimal whole number from 1 to MAX_COUNT (no sign, exponent, hex or fraction).
 */
function parseMailReadArgs(args: string[]): { address: string; count: number } | { problem: string } {
  const [address, countText, ...extra] = args;
  if (address === undefined) return { problem: 'missing the address' };
  if (!/^[^\s@]+@[^\s@]+$/.test(address.trim())) return { problem: `"${address}" is not an email address` };
  if (extra.length) return { problem: `unexpected argument${extra.length > 1 ? 's' : ''} after the count: ${extra.map((arg) => `"${arg}"`).join(' ')}` };
  if (countText === undefined) return { address, count: 5 };
  const count = /^\d{1,4}$/.test(countText) ? Number(countText) : NaN;
  if (!(count >= 1 && count <= MAX_COUNT)) return { problem: `count must be a whole number from 1 to ${MAX_COUNT}, got "${countText}"` };
  return { address, count };
}

interface Caught {
  receivedAt: Date;
  subject: string;
  text: string | null;
}

/** The last `count` mails caught for `address` (any letter case), newest first. Rejects with pg's error when the database has no CaughtMail table. */
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
  const parsed = parseMailReadArgs(process.argv.slice(2));
  if ('problem' in parsed) {
    console.error(`mail:read: ${parsed.problem}\n${USAGE}`);
    process.exit(2);
  }
  const { address, count } = parsed;
  try {
    const mails = await withDatabase(({ migrationUrl }) => caughtMailFor(migrationUrl, address, count), () => undefined, { existingOnly: true });
    if (!mails.length) console.log(`No mail caught for ${address}.`);
    for (const mail of mails) console.log(`--- ${mail.receivedAt.toISOString()}  ${mail.subject}\n${mail.text ?? '(no text part)'}\n`);
  } catch (error) {
    console.error(`mail:read: ${describeScriptFailure(error)}`);
    process.exit(1);
  }
  process.exit(0);
}
