// Mail through the embedded catcher: a real SMTP conversation (nodemailer → smtp-server on
// loopback), read back from "CaughtMail" as /dev/mail shows it; then the whole path — a
// notice queued in a transaction, dispatched and sent by the Inngest functions on the local
// engine — and the per-user preference that stops it.
import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import nodemailer from 'nodemailer';
import { db } from '@/server/db';
import { resetEnvForTests } from '@/server/env';
import { notify } from '@/server/domain/notifications';
import { getEmailPreferences, setEmailPreferences } from '@/server/domain/mail';
import { createUser } from '@/server/testing/api';
import { testDatabaseUrl } from '@/server/testing/database';
import { startInngestForTests, waitFor, type InngestTestHarness } from '@/inngest/engine/testing';
import { inngest } from '@/inngest/client';
import { OUTBOX_DISPATCH, outboxDispatchIdle, requestOutboxDispatch } from '@/inngest/outbox';
import { dispatchOutboxFunction } from '@/inngest/functions/dispatch-outbox';
import { sendEmailFunction } from '@/inngest/functions/send-email';
import { startMailCatcher, type RunningMailCatcher } from './catcher';
import { pooledSmtpUrl, sendQueuedEmail } from './transport';
import { purgeCaughtMail } from './caught';

let catcher: RunningMailCatcher;

beforeAll(async () => {
  catcher = await startMailCatcher({ databaseUrl: process.env.DATABASE_URL! });
  process.env.SMTP_URL = catcher.url;
  resetEnvForTests();
});

afterAll(async () => {
  await catcher?.stop();
});

const caughtTo = (address: string) => db.caughtMail.findMany({ where: { to: { has: address } }, orderBy: { receivedAt: 'asc' } });

describe('the embedded mail catcher', () => {
  it('accepts mail over SMTP and stores its headers, text and HTML parts', async () => {
    const transport = nodemailer.createTransport(catcher.url);
    await transport.sendMail({ from: 'DirectPay <no-reply@directpay.test>', to: 'ada@example.com', subject: 'Hello “Ada”', text: 'plain part\n', html: '<p>html part</p>' });
    const [mail] = await caughtTo('ada@example.com');
    expect(mail).toMatchObject({ from: '"DirectPay" <no-reply@directpay.test>', to: ['ada@example.com'], subject: 'Hello “Ada”', text: 'plain part\n', html: '<p>html part</p>' });
    expect(mail!.raw).toMatch(/^Content-Type: multipart\/alternative/m);
  });

  it("takes mail only from a sender signed in with the run's credentials: another local user's forged mail is refused (found by a stranger)", async () => {
    const { port } = new URL(catcher.url);
    const forged = { from: 'DirectPay <no-reply@directpay.test>', to: 'forged@example.com', subject: 'Confirm your DirectPay email address', text: 'http://evil.example/verify\n' };
    await expect(nodemailer.createTransport(`smtp://127.0.0.1:${port}`).sendMail(forged)).rejects.toThrow(/authentication required|530/i);
    await expect(nodemailer.createTransport(`smtp://directpay:guessed@127.0.0.1:${port}`).sendMail(forged)).rejects.toThrow(/Invalid username or password|535/i);
    expect(await caughtTo('forged@example.com')).toHaveLength(0);
    expect(catcher.displayUrl).toBe(`smtp://127.0.0.1:${port}`);
  });

  it('keeps a caught mail CAUGHT_MAIL_RETENTION_DAYS (7) days: the sweep deletes older ones only', async () => {
    const now = new Date('2026-12-20T12:00:00Z');
    const caught = (to: string, receivedAt: Date) => ({ from: 'no-reply@directpay.test', to: [to], subject: 'Confirm', text: 'token=x', raw: 'raw', receivedAt });
    await db.caughtMail.createMany({
      data: [caught('old@example.com', new Date(now.getTime() - 7 * 86_400_000 - 1000)), caught('recent@example.com', new Date(now.getTime() - 7 * 86_400_000 + 60_000))],
    });
    expect(await purgeCaughtMail(db, now)).toBeGreaterThanOrEqual(1);
    expect(await caughtTo('old@example.com')).toHaveLength(0);
    expect(await caughtTo('recent@example.com')).toHaveLength(1);
  });
});

describe('the catcher’s database connections', () => {
  it('survives the server ending them while idle, and catches the next mail', async () => {
    const transport = nodemailer.createTransport(catcher.url);
    await transport.sendMail({ from: 'no-reply@directpay.test', to: 'before-cut@example.com', subject: 'Before', text: 'one\n' });
    // As the database's owner: end the catcher's connections, as PostgreSQL stopping would.
    const owner = new pg.Client({ connectionString: testDatabaseUrl });
    await owner.connect();
    try {
      const ended = await owner.query("select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'directpay-mail-catcher' and datname = current_database()");
      expect(ended.rowCount).toBeGreaterThan(0);
      await waitFor(
        async () => ((await owner.query("select 1 from pg_stat_activity where application_name = 'directpay-mail-catcher' and datname = current_database()")).rowCount === 0 ? true : null),
        'the catcher’s connections to end',
      );
    } finally {
      await owner.end();
    }
    // Unhandled, the pool's 'error' event would have ended this process (the test run fails).
    await transport.sendMail({ from: 'no-reply@directpay.test', to: 'after-cut@example.com', subject: 'After', text: 'two\n' });
    expect(await caughtTo('after-cut@example.com')).toHaveLength(1);
    transport.close();
  });
});

describe('the SMTP connection', () => {
  it('is pooled unless SMTP_URL says otherwise, keeping its other settings', () => {
    expect(pooledSmtpUrl('smtp://127.0.0.1:2525')).toBe('smtp://127.0.0.1:2525?pool=true');
    expect(pooledSmtpUrl('smtps://user:p%40ss@mail.example.com:465/?maxConnections=2')).toBe('smtps://user:p%40ss@mail.example.com:465/?maxConnections=2&pool=true');
    expect(pooledSmtpUrl('smtp://127.0.0.1:2525?pool=false')).toBe('smtp://127.0.0.1:2525?pool=false');
  });

  it('turns Nagle off on its socket: each mail is a few small writes waiting on answers', async () => {
    // With Nagle on (nodemailer before 10.1) every mail waited out the server's delayed ACK:
    // 44 ms per mail to the catcher on loopback against 1.7 ms (BENCHMARKS.md, "Mail without Nagle").
    const setNoDelay = vi.spyOn(net.Socket.prototype, 'setNoDelay');
    try {
      const transport = nodemailer.createTransport(pooledSmtpUrl(catcher.url));
      await transport.sendMail({ from: 'no-reply@directpay.test', to: 'nagle@example.com', subject: 'Nagle', text: 'off\n' });
      transport.close();
      // The client's socket (its far end is the catcher's port), not the catcher's own, which
      // runs in this process too and turns Nagle off on its side.
      const port = Number(new URL(catcher.url).port);
      const client = setNoDelay.mock.calls.filter((call, index) => (setNoDelay.mock.contexts[index] as net.Socket).remotePort === port && call[0] !== false);
      expect(client.length).toBeGreaterThan(0);
    } finally {
      setNoDelay.mockRestore();
    }
  });

  it('sends one mail after another over one connection', async () => {
    const user = await createUser('RENTER');
    for (let index = 0; index < 3; index++) {
      await db.$transaction((tx) => notify(tx, [{ userId: user.id, type: 'payment.completed', title: `Paid ${index}`, body: 'Settled.', link: '/payments/abc' }]));
    }
    const queued = await db.emailMessage.findMany({ where: { userId: user.id }, orderBy: { createdAt: 'asc' } });
    expect(queued).toHaveLength(3);
    await sendQueuedEmail(db, queued[0]!.id); // opens (or reuses) the pool's connection
    const before = catcher.connections();
    for (const mail of queued.slice(1)) expect(await sendQueuedEmail(db, mail.id)).toMatchObject({ status: 'sent' });
    expect(catcher.connections()).toBe(before);
    expect(await caughtTo(user.email)).toHaveLength(3);
  });
});

describe('notices by email', () => {
  it('a notice is queued in the transaction and sent once: bodies erased after sending', async () => {
    const user = await createUser('LANDLORD');
    await db.$transaction((tx) => notify(tx, [{ userId: user.id, type: 'payment.completed', title: 'Rent received: $1,500.00', body: 'Installment 1 for Maple Court settled over Instant (RTP).', link: '/payments/abc' }]));
    const queued = await db.emailMessage.findFirstOrThrow({ where: { userId: user.id } });
    expect(queued).toMatchObject({ status: 'QUEUED', to: user.email, kind: 'payment.completed', subject: 'Rent received: $1,500.00' });

    expect(await sendQueuedEmail(db, queued.id)).toMatchObject({ status: 'sent' });
    expect(await sendQueuedEmail(db, queued.id)).toEqual({ status: 'already-sent' });
    expect(await db.emailMessage.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({ status: 'SENT', text: null, html: null, attempts: 1 });
    const caught = await caughtTo(user.email);
    expect(caught).toHaveLength(1);
    expect(caught[0]!.text).toContain('Installment 1 for Maple Court settled over Instant (RTP).');
    expect(caught[0]!.text).toContain('View the payment: http://localhost:3000/payments/abc');
    expect(caught[0]!.html).toContain('href="http://localhost:3000/payments/abc"');
  });

  it('respects the preference: an opted-out kind gets only the in-portal notice', async () => {
    const user = await createUser('RENTER');
    const prefs = await db.$transaction((tx) => setEmailPreferences(tx, user, { email: { 'payment.failed': false } }));
    expect(prefs.find((pref) => pref.kind === 'payment.failed')).toMatchObject({ email: false });
    // Every other kind keeps its default: on, except the landlords' overdue digest (opt-in).
    expect(prefs.filter((pref) => !pref.email).map((pref) => pref.kind).sort()).toEqual(['overdue.digest', 'payment.failed']);
    await db.$transaction((tx) => notify(tx, [{ userId: user.id, type: 'payment.failed', title: 'Your payment failed', body: 'Insufficient funds (R01).' }]));
    expect(await db.notification.count({ where: { userId: user.id } })).toBe(1);
    expect(await db.emailMessage.count({ where: { userId: user.id } })).toBe(0);
  });

  it('an opt-in kind (the overdue digest) is off until turned on, and can be turned off again', async () => {
    const user = await createUser('LANDLORD');
    const before = await db.$transaction((tx) => getEmailPreferences(tx, user));
    expect(before.find((pref) => pref.kind === 'overdue.digest')).toMatchObject({ email: false });
    const on = await db.$transaction((tx) => setEmailPreferences(tx, user, { email: { 'overdue.digest': true } }));
    expect(on.find((pref) => pref.kind === 'overdue.digest')).toMatchObject({ email: true });
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { emailOptIns: true, emailOptOuts: true } })).toEqual({ emailOptIns: ['overdue.digest'], emailOptOuts: [] });
    const off = await db.$transaction((tx) => setEmailPreferences(tx, user, { email: { 'overdue.digest': false } }));
    expect(off.find((pref) => pref.kind === 'overdue.digest')).toMatchObject({ email: false });
  });
});

describe('send-email on the local engine', () => {
  let harness: InngestTestHarness;
  beforeAll(async () => {
    harness = await startInngestForTests({ client: inngest, functions: [dispatchOutboxFunction, sendEmailFunction] });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('a dispatch request after commit starts one send-email run per queued mail, which lands in the catcher', async () => {
    const users = await Promise.all([createUser('LANDLORD'), createUser('LANDLORD')]);
    await db.$transaction((tx) => notify(tx, users.map((user) => ({ userId: user.id, type: 'lease.completed', title: 'Lease paid in full', body: 'Every installment for Maple Court is paid.', link: '/leases/x' }))));
    requestOutboxDispatch();
    for (const user of users) {
      const [mail] = await waitFor(async () => {
        const caught = await caughtTo(user.email);
        return caught.length ? caught : null;
      }, `mail to ${user.email}`, 20_000);
      expect(mail).toMatchObject({ subject: 'Lease paid in full' });
    }
    await waitFor(async () => (await db.emailMessage.count({ where: { userId: { in: users.map((u) => u.id) }, status: 'SENT' } })) === 2, 'both mails marked SENT');
    const runs = await harness.waitForRun((run) => run.status === 'completed', { functionId: 'directpay-send-email' });
    expect(runs).toBeTruthy();
  });

  it('requests within OUTBOX_COALESCE_MS share one outbox/dispatch event; a request after it is sent gets its own', async () => {
    const dispatches = async () =>
      (await harness.db.query<{ n: number }>(`select count(*)::int as n from inngest_engine.events where name = $1`, [OUTBOX_DISPATCH])).rows[0]!.n;
    // Any request still gathered by the test above goes out first.
    await outboxDispatchIdle();
    const before = await dispatches();
    for (let n = 0; n < 25; n++) requestOutboxDispatch();
    await outboxDispatchIdle();
    await waitFor(async () => (await dispatches()) === before + 1, 'one dispatch request for 25 calls');
    requestOutboxDispatch();
    await outboxDispatchIdle();
    await waitFor(async () => (await dispatches()) === before + 2, 'a second request for a call after the first was sent');
    // Nothing more was gathered or sent: the 25 calls were one request.
    await outboxDispatchIdle();
    expect(await dispatches()).toBe(before + 2);
  });
});

describe('mail templates', () => {
  it('write dates as people read them, instants in New York time: not ISO days or GMT', async () => {
    const { leaseInvitationMail, verifyEmailMail } = await import('./templates');
    const expiresAt = new Date('2026-12-14T20:39:07Z');
    const invitation = leaseInvitationMail({ landlordName: 'Lana', propertyName: 'Maple Court', rent: '$1,500.00', startDate: '2026-11-10', url: 'http://localhost:3000/x', expiresAt });
    expect(invitation.text).toContain('$1,500.00 a month from Nov 10, 2026.');
    expect(invitation.text).toContain('The link works once, until Mon, Dec 14, 2026, 3:39 PM ET.');
    expect(verifyEmailMail({ name: 'Rhea', url: 'http://localhost:3000/y', expiresAt }).text).toContain('until Mon, Dec 14, 2026, 3:39 PM ET.');
    expect(invitation.text).not.toMatch(/GMT|2026-11-10/);
  });
});
