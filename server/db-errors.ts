// Is this error the database being unavailable (down, restarting, unreachable, out of
// connections), rather than a fault in a request? Such an error is answered 503 with
// Retry-After instead of 500 (server/api/trpc.ts, server/request-context.ts).
import 'server-only';
import { Prisma } from '@/server/generated/prisma/client';

/** Prisma's codes for "cannot reach / lost the server" and "no connection free in the pool". */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1011', 'P1017', 'P2024']);
/** The driver adapter's error kinds (@prisma/adapter-pg convertDriverError) that mean an outage. */
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TlsConnectionError', 'DatabaseDoesNotExist', 'AuthenticationFailed']);
/**
 * PostgreSQL SQLSTATEs: admin/crash shutdown, cannot connect now, too many connections, class 08
 * (connection exception), and query_canceled (a statement past the app's statement_timeout,
 * server/db.ts appSessionUrl, or cancelled by an operator): each says "try again shortly".
 */
const POSTGRES_STATES = /^(08...|57P0[123]|57014|53300)$/;
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);
/** node-postgres reports these as plain Errors without a code. */
const DRIVER_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Can't reach database server|Client has encountered a connection error|Connection ended unexpectedly/i;

/**
 * Prisma's P2028 when no connection came free for a transaction within its maxWait: the
 * database is not keeping up (its connections all held, or hung), not a fault in the request
 * (found by a stranger during a freeze: a 500). P2028's other meaning, a transaction that outran
 * its own timeout, stays a fault.
 */
const NO_TRANSACTION_IN_TIME = /Unable to start a transaction in the given time/i;

function causesOf(error: unknown): unknown[] {
  const seen: unknown[] = [];
  const queue = [error];
  while (queue.length && seen.length < 10) {
    const current = queue.shift();
    if (!current || typeof current !== 'object' || seen.includes(current)) continue;
    seen.push(current);
    const record = current as { cause?: unknown; meta?: { driverAdapterError?: unknown } };
    queue.push(record.cause, record.meta?.driverAdapterError);
  }
  return seen;
}

/**
 * True for Node's error about a request whose caller hung up before its body was read (the HTTP
 * server's abortIncoming: "aborted", ECONNRESET, no system call): the caller's doing. The
 * database's own resets name their call ("read ECONNRESET").
 */
export function isClientAbort(error: unknown): boolean {
  const { code, message, syscall } = (error ?? {}) as { code?: unknown; message?: unknown; syscall?: unknown };
  return code === 'ECONNRESET' && message === 'aborted' && syscall === undefined;
}

/**
 * True when `error` (or anything it wraps) says the database cannot be used right now. A caller
 * that hung up (isClientAbort) is not one (found by a stranger: it was logged and counted as 503).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (isClientAbort(error)) return false;
  return causesOf(error).some((item) => {
    if (item instanceof Prisma.PrismaClientInitializationError) return true;
    const { code, kind, message, originalCode } = item as { code?: unknown; kind?: unknown; message?: unknown; originalCode?: unknown };
    if (typeof code === 'string' && (PRISMA_CODES.has(code) || POSTGRES_STATES.test(code) || SOCKET_CODES.has(code))) return true;
    if (typeof originalCode === 'string' && POSTGRES_STATES.test(originalCode)) return true;
    if (typeof kind === 'string' && ADAPTER_KINDS.has(kind)) return true;
    if (code === 'P2028' && typeof message === 'string' && NO_TRANSACTION_IN_TIME.test(message)) return true;
    return typeof message === 'string' && DRIVER_MESSAGES.test(message);
  });
}

/** PostgreSQL SQLSTATEs of a transaction that lost to a concurrent one: serialization failure, deadlock. */
const CONFLICT_STATES = /^40(001|P01)$/;

/**
 * True when `error` (or anything it wraps) says the transaction lost to a concurrent one (a
 * write conflict or a deadlock): the same request tried again may succeed (answered 409 CONFLICT
 * "try again", server/api/trpc.ts). Prisma reports it as P2034 from a model query, and as P2010
 * with the driver's SQLSTATE from raw SQL ($queryRaw, insertRows).
 */
export function isWriteConflict(error: unknown): boolean {
  return causesOf(error).some((item) => {
    const { code, kind, originalCode } = item as { code?: unknown; kind?: unknown; originalCode?: unknown };
    if (code === 'P2034' || kind === 'TransactionWriteConflict') return true;
    return typeof originalCode === 'string' && CONFLICT_STATES.test(originalCode);
  });
}

/** Seconds a client should wait before trying again during an outage. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

/** PostgreSQL SQLSTATEs of a statement naming a table or schema the database lacks: undefined_table, invalid_schema_name. */
const MISSING_RELATION_STATES = /^(42P01|3F000)$/;

/** True when `error` (or anything it wraps) says a table or schema the statement names does not exist. */
export function isMissingRelation(error: unknown): boolean {
  return causesOf(error).some((item) => {
    const { originalCode } = item as { originalCode?: unknown };
    return typeof originalCode === 'string' && MISSING_RELATION_STATES.test(originalCode);
  });
}
