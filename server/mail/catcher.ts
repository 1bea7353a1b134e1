// The embedded mail catcher: an SMTP server (smtp-server) on a free loopback port that accepts
// every message and stores it in "CaughtMail", so the app (another process) can show it to
// operators at /dev/mail. `npm run dev`/`npm start` start it when SMTP_URL is not set — the
// same "embedded default" as the database and the Inngest engine. Never for production mail.
// It takes mail only from a sender signed in with this run's own credentials (SMTP AUTH, carried
// in `url`): every local user can reach a loopback port, and a forged "Confirm your email
// address" with a link of theirs must not land where an operator reads mail (/dev/mail, mail:read).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';

export interface RunningMailCatcher {
  /** smtp://<user>:<password>@127.0.0.1:<port>, for SMTP_URL: this run's credentials included. */
  url: string;
  /** The same without the credentials, for logs. */
  displayUrl: string;
  /** How many SMTP connections it has accepted so far (a pooled sender reuses one for many mails). */
  connections(): number;
  stop(): Promise<void>;
}

const addresses = (value: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(value) ? value : value ? [value] : []).flatMap((group) => group.value.map((entry) => entry.address ?? entry.name)).filter(Boolean);

/** Mail bigger than this is refused (the catcher is for notices, not attachments). */
const MAX_MESSAGE_BYTES = 5 * 1024 * 1024;

export async function startMailCatcher(options: {
  databaseUrl: string;
  port?: number;
  log?: (line: string) => void;
  /** Log a line per caught mail with its recipients and subject (development: mail read at /dev/mail; never in production logs). */
  announce?: boolean;
}): Promise<RunningMailCatcher> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2, application_name: 'directpay-mail-catcher' });
  // An idle connection the server ends (PostgreSQL stopping first when Next was killed, an
  // operator's pg_terminate_backend) is dropped and replaced on next use; unhandled, its 'error'
  // event crashed the process that runs the catcher (`npm start`'s supervisor) mid-shutdown.
  pool.on('error', (error) => options.log?.(`database connection error: ${error.message}`));
  let connections = 0;
  const credentials = { username: 'directpay', password: randomBytes(24).toString('base64url') };
  const same = (given: string | undefined, expected: string) => {
    const a = Buffer.from(given ?? '');
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  };
  const server = new SMTPServer({
    // Plain AUTH over loopback (no TLS to offer): the password never leaves the machine.
    authOptional: false,
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      if (same(auth.username, credentials.username) && same(auth.password ?? undefined, credentials.password)) callback(null, { user: credentials.username });
      else callback(new Error('Invalid username or password'));
    },
    disabledCommands: ['STARTTLS'],
    size: MAX_MESSAGE_BYTES,
    banner: 'DirectPay mail catcher',
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        void (async () => {
          const raw = Buffer.concat(chunks);
          const parsed = await simpleParser(raw);
          const envelopeTo = session.envelope.rcptTo.map((rcpt) => rcpt.address);
          const to = envelopeTo.length ? envelopeTo : addresses(parsed.to);
          await pool.query('INSERT INTO "CaughtMail" (id, "from", "to", subject, text, html, raw) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6)', [
            (parsed.from?.text ?? (session.envelope.mailFrom ? session.envelope.mailFrom.address : '')).slice(0, 500),
            to.map((address) => address.slice(0, 500)),
            (parsed.subject ?? '').slice(0, 1000),
            parsed.text ?? null,
            typeof parsed.html === 'string' ? parsed.html : null,
            raw.toString('utf8'),
          ]);
          if (options.announce) options.log?.(`caught mail to ${to.join(', ')}: ${parsed.subject ?? ''}`);
        })().then(
          () => callback(),
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${credentials.username}:${credentials.password}@127.0.0.1:${port}`,
    displayUrl: `smtp://127.0.0.1:${port}`,
    connections: () => connections,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}
