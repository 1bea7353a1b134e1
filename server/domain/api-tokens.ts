// Personal API tokens for programs: shown once at creation, stored only as a SHA-256 hash,
// revocable. A token acts as its owner with the owner's role.
import { createHash, randomBytes } from 'node:crypto';
import type { Tx } from '@/server/db';
import type { Actor } from './actor';
import { notFound } from './errors';
import type { Role } from '@/server/generated/prisma/enums';

const TOKEN_PREFIX = 'dp_';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export interface ApiTokenView {
  id: string;
  name: string;
  prefix: string;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

const view = { id: true, name: true, prefix: true, lastUsedAt: true, revokedAt: true, createdAt: true } as const;

export async function createApiToken(tx: Tx, actor: Actor, input: { name: string }): Promise<ApiTokenView & { token: string }> {
  const prefix = randomBytes(4).toString('hex');
  const token = `${TOKEN_PREFIX}${prefix}_${randomBytes(24).toString('base64url')}`;
  const created = await tx.apiToken.create({
    data: { userId: actor.id, name: input.name, prefix: `${TOKEN_PREFIX}${prefix}`, tokenHash: sha256(token) },
    select: view,
  });
  return { ...created, token };
}

export function listApiTokens(tx: Tx, actor: Actor): Promise<ApiTokenView[]> {
  return tx.apiToken.findMany({ where: { userId: actor.id }, orderBy: { createdAt: 'desc' }, select: view });
}

export async function revokeApiToken(tx: Tx, actor: Actor, input: { id: string }): Promise<ApiTokenView> {
  const { count } = await tx.apiToken.updateMany({ where: { id: input.id, userId: actor.id, revokedAt: null }, data: { revokedAt: new Date() } });
  const token = await tx.apiToken.findFirst({ where: { id: input.id, userId: actor.id }, select: view });
  if (!token || (count === 0 && !token.revokedAt)) throw notFound('API token');
  return token;
}

/** The owner of a live token, or null. */
export async function actorForApiToken(
  tx: Tx,
  token: string,
): Promise<(Actor & { email: string; name: string; role: Role; emailVerified: boolean }) | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const found = await tx.apiToken.findUnique({
    where: { tokenHash: sha256(token) },
    select: { id: true, revokedAt: true, lastUsedAt: true, user: { select: { id: true, email: true, name: true, role: true, emailVerifiedAt: true } } },
  });
  if (!found || found.revokedAt) return null;
  // Record use at most once a minute so busy programs don't write on every call.
  if (!found.lastUsedAt || Date.now() - found.lastUsedAt.getTime() > 60_000) {
    await tx.apiToken.update({ where: { id: found.id }, data: { lastUsedAt: new Date() } });
  }
  const { emailVerifiedAt, ...user } = found.user;
  return { ...user, emailVerified: emailVerifiedAt !== null };
}
