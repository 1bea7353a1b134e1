// Portal sessions that end on the server. The session cookie is a next-auth JWT, valid on its
// own until it expires; it also carries the id of a Session row, and a request counts as
// signed in only while that row is live (not ended, not expired). Signing out ends the row of
// that browser; a password change ends every other row of the user; "sign out everywhere"
// ends them all. API tokens are separate credentials (server/domain/api-tokens.ts).
import type { Db, Tx } from '@/server/db';
import type { Role } from '@/server/generated/prisma/enums';

/** A session's absolute lifetime, the same as the cookie's (7 days, in seconds). */
export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SessionOwner {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** The user followed a link mailed to their address (User.emailVerifiedAt is set). */
  emailVerified: boolean;
}

/**
 * Starts a session for a user who has just proved who they are (sign-in), and drops that
 * user's sessions that expired more than a day ago so the table does not grow without bound.
 * Returns the session id the cookie carries.
 */
export async function startSession(db: Db | Tx, userId: string, now = new Date()): Promise<string> {
  await db.session.deleteMany({ where: { userId, expiresAt: { lt: new Date(now.getTime() - 24 * 60 * 60_000) } } });
  const session = await db.session.create({
    data: { userId, createdAt: now, expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000) },
    select: { id: true },
  });
  return session.id;
}

/**
 * The user of a live session, read fresh from the database (so a changed name or role shows
 * at once), or null when the session was ended, has expired, or belongs to someone else.
 * One statement: the Session primary key joined to the User primary key, on every request.
 */
export async function liveSessionOwner(db: Db | Tx, sessionId: unknown, userId: unknown): Promise<SessionOwner | null> {
  if (typeof sessionId !== 'string' || !UUID.test(sessionId) || typeof userId !== 'string') return null;
  const rows = await db.$queryRaw<SessionOwner[]>`
    SELECT u.id, u.email, u.name, u.role::text AS role, u."emailVerifiedAt" IS NOT NULL AS "emailVerified"
    FROM "Session" s JOIN "User" u ON u.id = s."userId"
    WHERE s.id = ${sessionId}::uuid AND s."endedAt" IS NULL AND s."expiresAt" > now()`;
  const owner = rows[0];
  return owner && owner.id === userId ? owner : null;
}

/** Ends one session (sign-out). Ending an ended or unknown session does nothing. */
export async function endSession(db: Db | Tx, sessionId: unknown): Promise<void> {
  if (typeof sessionId !== 'string' || !UUID.test(sessionId)) return;
  await db.session.updateMany({ where: { id: sessionId, endedAt: null }, data: { endedAt: new Date() } });
}

/** Ends every live session of a user except `keep` (null: all of them); answers how many ended. */
export async function endSessionsOf(db: Db | Tx, userId: string, keep: string | null): Promise<number> {
  const { count } = await db.session.updateMany({
    where: { userId, endedAt: null, expiresAt: { gt: new Date() }, ...(keep ? { id: { not: keep } } : {}) },
    data: { endedAt: new Date() },
  });
  return count;
}
