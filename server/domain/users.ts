// Accounts: sign-up with argon2id password hashes, credential checks for sign-in, password
// changes, name changes and "sign out everywhere" (which end sessions, server/domain/sessions.ts).
import { hash, verify } from '@node-rs/argon2';
import type { Db, Tx } from '@/server/db';
import type { Role } from '@/server/generated/prisma/enums';
import { Prisma } from '@/server/generated/prisma/client';
import { demoAccountsAllowed } from '@/server/env';
import { DEMO_PASSWORDS, DEMO_USERS } from './demo';
import { hit, LIMITS, refund } from './rate-limit';
import { endSessionsOf } from './sessions';
import { DomainError } from './errors';
import type { Actor } from './actor';
import { appendEvent } from './events';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. Algorithm 2 = Argon2id.
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

/** Rules beyond length (checked by the input schema): no public demo password, not the email. */
export function passwordProblem(password: string, email: string): string | null {
  const lowered = password.toLowerCase();
  if (DEMO_PASSWORDS.has(password)) return 'is published as a demo password; choose another';
  if (lowered === email || lowered === email.split('@')[0]) return 'must not be your email address';
  return null;
}

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

const publicUser = { id: true, email: true, name: true, role: true } as const;

/** The user as their events record it: never the password hash. */
export function userSnapshot(user: PublicUser & { createdAt: Date }) {
  return { id: user.id, email: user.email, name: user.name, role: user.role, createdAt: user.createdAt.toISOString() };
}

/**
 * Creates a user; `email` arrives normalized (trimmed, lower-case) from the input schema.
 * `options.demo` is for the seed only (prisma/seed.ts): it lets a demo account (README) be
 * created with its own published password, and nothing else. The password is hashed (argon2,
 * hundreds of ms of CPU) before the transaction opens, which then only writes the user and its
 * event: no transaction or pooled connection is held while hashing.
 */
export async function signUp(
  db: Db,
  input: { name: string; email: string; password: string; role: Role },
  options: { demo?: boolean; transaction?: { timeout?: number; maxWait?: number } } = {},
): Promise<PublicUser> {
  if (options.demo && !DEMO_USERS.some((demo) => demo.email === input.email && demo.password === input.password && demo.role === input.role)) {
    throw new Error(`${input.email} is not a demo account`);
  }
  const problem = options.demo ? null : passwordProblem(input.password, input.email);
  if (problem) throw new DomainError('BAD_REQUEST', `Password ${problem}`, { password: [problem] });
  const passwordHash = await hashPassword(input.password);
  return db.$transaction((tx) => insertUser(tx, input, passwordHash, options.demo ?? false), options.transaction);
}

async function insertUser(tx: Tx, input: { name: string; email: string; role: Role }, passwordHash: string, demo: boolean): Promise<PublicUser> {
  let user: PublicUser & { createdAt: Date };
  try {
    user = await tx.user.create({
      // The demo accounts' addresses are fictional and published: they count as verified.
      data: { name: input.name, email: input.email, role: input.role, passwordHash, emailVerifiedAt: demo ? new Date() : null },
      select: { ...publicUser, createdAt: true },
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new DomainError('CONFLICT', 'An account with this email already exists; sign in instead', {
        email: ['an account with this email already exists'],
      });
    }
    throw error;
  }
  const self = { id: user.id, role: user.role };
  await appendEvent(tx, { aggregateType: 'User', aggregateId: user.id, type: 'user.signedUp', actor: self, data: userSnapshot(user) });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

// Verified against when the email is unknown, so a wrong email costs as long as a wrong password.
let decoyHash: Promise<string> | undefined;

/**
 * Whether `password` is the one `passwordHash` keeps. A public demo password (README) never is
 * while the demo accounts are off (demoAccountsAllowed): a database seeded by an earlier start
 * keeps those accounts, and anyone could use them — to sign in, or, from a session opened while
 * they were on, to change the password and keep the account. The one check of a password.
 */
async function passwordMatches(passwordHash: string, password: string): Promise<boolean> {
  if (DEMO_PASSWORDS.has(password) && !demoAccountsAllowed()) return false;
  return verify(passwordHash, password).catch(() => false);
}

/** The user for these credentials, or null; never says which of the two was wrong (passwordMatches). */
export async function verifyCredentials(tx: Tx, email: string, password: string): Promise<PublicUser | null> {
  const user = await tx.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { ...publicUser, passwordHash: true } });
  if (!user) {
    decoyHash ??= hashPassword('decoy password that never matches');
    await passwordMatches(await decoyHash, password);
    return null;
  }
  if (!(await passwordMatches(user.passwordHash, password))) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/**
 * The demo accounts whose password is still their public one (README), with their ids: for the
 * runner to lock when the demo accounts are off. Verifies each stored hash (argon2, ~100 ms each).
 */
export async function demoUsersOnPublicPasswords(tx: Tx): Promise<{ id: string; email: string }[]> {
  const users = await tx.user.findMany({ where: { email: { in: DEMO_USERS.map((demo) => demo.email) } }, select: { id: true, email: true, passwordHash: true } });
  const still: { id: string; email: string }[] = [];
  for (const demo of DEMO_USERS) {
    const user = users.find((candidate) => candidate.email === demo.email);
    if (user && (await verify(user.passwordHash, demo.password).catch(() => false))) still.push({ id: user.id, email: user.email });
  }
  return still;
}

/**
 * With the demo accounts off (`npm start` without DIRECTPAY_DEMO_SEED): each demo account still on
 * its public password (README) loses every session and API token, so nothing opened with that
 * password while the accounts were on keeps working; sign-in with it is already refused
 * (verifyCredentials). An account whose password was changed is left alone. Answers what was done,
 * per account, for the runner to log.
 */
export async function lockPublicDemoAccounts(db: Db, now = new Date()): Promise<{ email: string; sessionsEnded: number; tokensRevoked: number }[]> {
  const locked = [];
  for (const { id, email } of await demoUsersOnPublicPasswords(db)) {
    const sessionsEnded = await endSessionsOf(db, id, null);
    const { count: tokensRevoked } = await db.apiToken.updateMany({ where: { userId: id, revokedAt: null }, data: { revokedAt: now } });
    locked.push({ email, sessionsEnded, tokensRevoked });
  }
  return locked;
}

/**
 * Who is signed in, with whether their address is verified: as the request's session or token
 * check read them (server/auth.ts, the same statement as the session's), else read now.
 */
export async function getMe(tx: Tx, actor: Actor): Promise<PublicUser & { emailVerified: boolean }> {
  // Read with the session in this request (server/auth.ts): no second read of the same row.
  const { id, email, name, role, emailVerified } = actor;
  if (email !== undefined && name !== undefined && emailVerified !== undefined) return { id, email, name, role, emailVerified };
  const found = await tx.user.findUnique({ where: { id: actor.id }, select: { ...publicUser, emailVerifiedAt: true } });
  const user = found && { id: found.id, email: found.email, name: found.name, role: found.role, emailVerified: found.emailVerifiedAt !== null };
  // A session for a user who no longer exists is no session at all.
  if (!user) throw new DomainError('UNAUTHORIZED', 'Your session has ended; sign in again');
  return user;
}

/**
 * Changes the actor's password: the current one must be right (a wrong one answers
 * BAD_REQUEST on `currentPassword` and changes nothing; each wrong one counts against a
 * per-user limit of 10 in 15 minutes, apart from sign-in's), the new one follows the sign-up policy. Every other session of
 * the user ends; `keepSessionId` (the caller's own browser, null for an API token) stays
 * signed in. API tokens are separate credentials and keep working. Records
 * `user.passwordChanged`.
 */
export async function changePassword(
  db: Db,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  keepSessionId: string | null,
): Promise<{ sessionsEnded: number }> {
  const user = await db.user.findUnique({ where: { id: actor.id }, select: { email: true, passwordHash: true } });
  if (!user) throw new DomainError('UNAUTHORIZED', 'Your session has ended; sign in again');
  await hit(db, LIMITS.passwordChecksPerUser(actor.id));
  if (!(await passwordMatches(user.passwordHash, input.currentPassword))) {
    throw new DomainError('BAD_REQUEST', 'Your current password is not right', { currentPassword: ['is not your current password'] });
  }
  await refund(db, [LIMITS.passwordChecksPerUser(actor.id)]);
  const problem = input.newPassword === input.currentPassword ? 'must differ from your current password' : passwordProblem(input.newPassword, user.email);
  if (problem) throw new DomainError('BAD_REQUEST', `New password ${problem}`, { newPassword: [problem] });
  const passwordHash = await hashPassword(input.newPassword);
  return db.$transaction(async (tx) => {
    const updated = await tx.user.update({ where: { id: actor.id }, data: { passwordHash }, select: { ...publicUser, createdAt: true } });
    const sessionsEnded = await endSessionsOf(tx, actor.id, keepSessionId);
    await appendEvent(tx, { aggregateType: 'User', aggregateId: actor.id, type: 'user.passwordChanged', actor, reason: sessionsEndedReason(sessionsEnded, 'other '), data: userSnapshot(updated) });
    return { sessionsEnded };
  });
}

/**
 * Ends every portal session of the actor, the caller's own included ("sign out everywhere").
 * API tokens keep working (revoke them in Settings). Records `user.signedOutEverywhere`.
 */
export function signOutEverywhere(db: Db, actor: Actor): Promise<{ sessionsEnded: number }> {
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: actor.id }, select: { ...publicUser, createdAt: true } });
    if (!user) throw new DomainError('UNAUTHORIZED', 'Your session has ended; sign in again');
    const sessionsEnded = await endSessionsOf(tx, actor.id, null);
    await appendEvent(tx, { aggregateType: 'User', aggregateId: actor.id, type: 'user.signedOutEverywhere', actor, reason: sessionsEndedReason(sessionsEnded, ''), data: userSnapshot(user) });
    return { sessionsEnded };
  });
}

/**
 * Changes the actor's name (the input schema's text rule: trimmed, 1–100 characters). The
 * portal reads the name from the database on every request, so every page shows the new one
 * at once. Records `user.renamed`; an unchanged name records nothing.
 */
export async function updateName(tx: Tx, actor: Actor, input: { name: string }): Promise<PublicUser> {
  const user = await tx.user.findUnique({ where: { id: actor.id }, select: { ...publicUser, createdAt: true } });
  if (!user) throw new DomainError('UNAUTHORIZED', 'Your session has ended; sign in again');
  if (user.name === input.name) return { id: user.id, email: user.email, name: user.name, role: user.role };
  const updated = await tx.user.update({ where: { id: actor.id }, data: { name: input.name }, select: { ...publicUser, createdAt: true } });
  await appendEvent(tx, { aggregateType: 'User', aggregateId: actor.id, type: 'user.renamed', actor, reason: `was “${user.name}”`, data: userSnapshot(updated) });
  return { id: updated.id, email: updated.email, name: updated.name, role: updated.role };
}

const sessionsEndedReason = (count: number, which: string) => `ended ${count} ${which}session${count === 1 ? '' : 's'}`;
