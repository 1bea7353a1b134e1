// Idempotent requests, Stripe's semantics, enforced by the database. A key is scoped to the
// caller and the procedure and kept 24 hours. The key's record is written in the SAME
// transaction as the work it protects, so:
// - same key, same parameters → the first call's stored response, marked as a replay;
// - same key while the first call is still running → the second waits on the unique index
//   and then answers the first call's response (never a second payment);
// - same key, other parameters → CONFLICT;
// - the first call fails (bad input, a refused rule) → its transaction rolls back, the key is
//   left unused and a corrected request may use it;
// - a key older than 24 hours is a new request.
import { createHash, randomUUID } from 'node:crypto';
import superjson from 'superjson';
import type { Db, Tx } from '@/server/db';
import { canonicalJson } from './events';
import { DomainError } from './errors';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export interface IdempotencyScope {
  userId: string;
  procedure: string;
  key: string;
  /** The parameters the key stands for (without the key itself). */
  request: unknown;
}

export interface IdempotentResult<T> {
  result: T;
  replayed: boolean;
}

// Long enough for 100 callers queueing on one key or one installment behind a pool of 10–20.
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 15_000 } as const;

/** Runs `work` in one transaction, once per (caller, procedure, key); see the module comment. */
export async function runIdempotent<T>(db: Db, scope: IdempotencyScope | null, work: (tx: Tx) => Promise<T>): Promise<IdempotentResult<T>> {
  if (!scope) return { result: await db.$transaction(work, TRANSACTION_OPTIONS), replayed: false };
  const requestHash = createHash('sha256').update(canonicalJson(scope.request)).digest('hex');
  return db.$transaction(async (tx) => {
    const claimed = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "IdempotencyRecord" (id, "userId", procedure, key, "requestHash", status, "createdAt", "expiresAt")
      VALUES (${randomUUID()}::uuid, ${scope.userId}::uuid, ${scope.procedure}, ${scope.key}, ${requestHash}, 'IN_PROGRESS', now(), now() + ${IDEMPOTENCY_TTL_MS} * interval '1 millisecond')
      ON CONFLICT ("userId", procedure, key) DO UPDATE
        SET "requestHash" = EXCLUDED."requestHash", status = 'IN_PROGRESS', response = NULL,
            "createdAt" = EXCLUDED."createdAt", "expiresAt" = EXCLUDED."expiresAt"
        WHERE "IdempotencyRecord"."expiresAt" <= now()
      RETURNING id`;
    const mine = claimed[0];
    if (mine) {
      const result = await work(tx);
      await tx.idempotencyRecord.update({
        where: { id: mine.id },
        data: { status: 'COMPLETED', response: superjson.serialize(result) as object },
      });
      return { result, replayed: false };
    }
    const existing = await tx.idempotencyRecord.findUniqueOrThrow({
      where: { userId_procedure_key: { userId: scope.userId, procedure: scope.procedure, key: scope.key } },
      select: { requestHash: true, status: true, response: true },
    });
    if (existing.requestHash !== requestHash) {
      throw new DomainError('CONFLICT', 'This Idempotency-Key was already used with different parameters; use a new key for a new request', {
        idempotencyKey: ['already used with different parameters'],
      });
    }
    if (existing.status !== 'COMPLETED' || !existing.response) {
      throw new DomainError('CONFLICT', 'A request with this Idempotency-Key is still in progress; retry in a moment');
    }
    return { result: superjson.deserialize<T>(existing.response as never), replayed: true };
  }, TRANSACTION_OPTIONS);
}

/** Drops records past their 24 hours (the recovery function calls it; expired keys are reusable anyway). */
export async function purgeExpiredIdempotencyRecords(db: Db | Tx, limit = 1000): Promise<number> {
  return db.$executeRaw`DELETE FROM "IdempotencyRecord" WHERE id IN (SELECT id FROM "IdempotencyRecord" WHERE "expiresAt" <= now() LIMIT ${limit})`;
}
