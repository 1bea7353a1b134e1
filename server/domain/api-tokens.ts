// Personal API tokens for programs: shown once at creation, stored only as a SHA-256 hash,
// revocable, and expiring. A token acts as its owner with the owner's role, within its scope
// (READ: queries only; WRITE: queries and mutations), and never manages the account's
// credentials or sessions: both limits are enforced for every procedure in server/api/trpc.ts.
import { createHash, randomBytes } from 'node:crypto';
import type { Tx } from '@/server/db';
import type { Actor } from './actor';
import { notFound } from './errors';
import type { ApiTokenScope, Role } from '@/server/generated/prisma/enums';

const TOKEN_PREFIX = 'dp_';

const DAY_MS = 24 * 60 * 60_000;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export interface ApiTokenView {
  id: string;
  name: string;
  prefix: string;
  scope: ApiTokenScope;
  /** From this instant the token authenticates nobody. */
  expiresAt: Date;
  /** expiresAt has passed (as of the read): the token authenticates nobody, as if revoked. */
  expired: boolean;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

const view = { id: true, name: true, prefix: true, scope: true, expiresAt: true, lastUsedAt: true, revokedAt: true, createdAt: true } as const;

/** A token stops authenticating at its expiresAt, not a millisecond later. */
const hasExpired = (expiresAt: Date, now: Date) => expiresAt.getTime() <= now.getTime();

const withExpired = <T extends { expiresAt: Date }>(token: T, now: Date) => ({ ...token, expired: hasExpired(token.expiresAt, now) });

/** `expiresInDays`: days of 24 hours from `now`, already checked (1–365) by the input schema. */
export async function createApiToken(
  tx: Tx,
  actor: Actor,
  input: { name: string; scope: ApiTokenScope; expiresInDays: number },
  now = new Date(),
): Promise<ApiTokenView & { token: string }> {
  const prefix = randomBytes(4).toString('hex');
  const token = `${TOKEN_PREFIX}${prefix}_${randomBytes(24).toString('base64url')}`;
  const created = await tx.apiToken.create({
    data: {
      userId: actor.id,
      name: input.name,
      prefix: `${TOKEN_PREFIX}${prefix}`,
      tokenHash: sha256(token),
      scope: input.scope,
      createdAt: now,
      expiresAt: new Date(now.getTime() + input.expiresInDays * DAY_MS),
    },
    select: view,
  });
  return { ...withExpired(created, now), token };
}

export async function listApiTokens(tx: Tx, actor: Actor, now = new Date()): Promise<ApiTokenView[]> {
  const tokens = await tx.apiToken.findMany({ where: { userId: actor.id }, orderBy: { createdAt: 'desc' }, select: view });
  return tokens.map((token) => withExpired(token, now));
}

export async function revokeApiToken(tx: Tx, actor: Actor, input: { id: string }, now = new Date()): Promise<ApiTokenView> {
  const { count } = await tx.apiToken.updateMany({ where: { id: input.id, userId: actor.id, revokedAt: null }, data: { revokedAt: now } });
  const token = await tx.apiToken.findFirst({ where: { id: input.id, userId: actor.id }, select: view });
  if (!token || (count === 0 && !token.revokedAt)) throw notFound('API token');
  return withExpired(token, now);
}

/** Who a live token acts for, and what it may call. */
export interface ApiTokenOwner extends Actor {
  email: string;
  name: string;
  role: Role;
  emailVerified: boolean;
  /** The token's scope (READ: queries only). */
  scope: ApiTokenScope;
}

/** The owner of a live token (neither revoked nor expired), or null. */
export async function actorForApiToken(tx: Tx, token: string, now = new Date()): Promise<ApiTokenOwner | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const found = await tx.apiToken.findUnique({
    where: { tokenHash: sha256(token) },
    select: {
      id: true,
      scope: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      user: { select: { id: true, email: true, name: true, role: true, emailVerifiedAt: true } },
    },
  });
  if (!found || found.revokedAt || hasExpired(found.expiresAt, now)) return null;
  // Record use at most once a minute so busy programs don't write on every call.
  if (!found.lastUsedAt || now.getTime() - found.lastUsedAt.getTime() > 60_000) {
    await tx.apiToken.update({ where: { id: found.id }, data: { lastUsedAt: now } });
  }
  const { emailVerifiedAt, ...user } = found.user;
  return { ...user, emailVerified: emailVerifiedAt !== null, scope: found.scope };
}
