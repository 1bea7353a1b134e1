// Accounts: sign-up with argon2id password hashes, and credential checks for sign-in.
import { hash, verify } from '@node-rs/argon2';
import type { Tx } from '@/server/db';
import type { Role } from '@/server/generated/prisma/enums';
import { Prisma } from '@/server/generated/prisma/client';
import { DEMO_PASSWORDS } from './demo';
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
  if (DEMO_PASSWORDS.has(password)) return 'this password is published as a demo password; choose another';
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

/** Creates a user; `email` arrives normalized (trimmed, lower-case) from the input schema. */
export async function signUp(tx: Tx, input: { name: string; email: string; password: string; role: Role }): Promise<PublicUser> {
  const problem = passwordProblem(input.password, input.email);
  if (problem) throw new DomainError('BAD_REQUEST', `Password ${problem}`, { password: [problem] });
  const passwordHash = await hashPassword(input.password);
  let user: PublicUser & { createdAt: Date };
  try {
    user = await tx.user.create({
      data: { name: input.name, email: input.email, role: input.role, passwordHash },
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

/** The user for these credentials, or null; never says which of the two was wrong. */
export async function verifyCredentials(tx: Tx, email: string, password: string): Promise<PublicUser | null> {
  const user = await tx.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { ...publicUser, passwordHash: true } });
  if (!user) {
    decoyHash ??= hashPassword('decoy password that never matches');
    await verify(await decoyHash, password).catch(() => false);
    return null;
  }
  const ok = await verify(user.passwordHash, password).catch(() => false);
  if (!ok) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

export async function getMe(tx: Tx, actor: Actor): Promise<PublicUser & { emailVerified: boolean }> {
  const found = await tx.user.findUnique({ where: { id: actor.id }, select: { ...publicUser, emailVerifiedAt: true } });
  const user = found && { id: found.id, email: found.email, name: found.name, role: found.role, emailVerified: found.emailVerifiedAt !== null };
  // A session for a user who no longer exists is no session at all.
  if (!user) throw new DomainError('UNAUTHORIZED', 'Your session has ended; sign in again');
  return user;
}
