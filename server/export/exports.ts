// The file exports behind /api/export/<name> (app/api/export/[file]/route.ts): the audit
// trail (events.csv, events.jsonl) and the dashboards' files (payments.csv, ledger.csv,
// statement.csv). One mechanism for all of them:
// - the caller is whoever tRPC would see (session cookie or `Authorization: Bearer` API token,
//   server/auth.ts); nobody → 401; the query string is validated by zod (400 with field
//   errors), then the per-user limit counts the call (429), and a lease that is not the
//   caller's → 404, all before the first byte is sent;
// - rows are read in keyset batches and streamed through csv-stringify (or one JSON object a
//   line), so memory stays flat however many rows there are (README: "Audit and exports");
// - money is written twice: decimal dollars (`amount`, "1850.00") and integer cents
//   (`amountCents`); instants are ISO 8601 in UTC; an empty CSV field is null.
import 'server-only';
import { Readable, Transform, pipeline } from 'node:stream';
import { stringify, type ColumnOption } from 'csv-stringify';
import { z, type ZodType } from 'zod';
import { sessionUserFromHeaders, type SessionUser } from '@/server/auth';
import { db } from '@/server/db';
import { logger } from '@/server/logger';
import { currentRequestId } from '@/server/request-context';
import { exportEventsQuery } from '@/server/api/schemas/audit';
import { id, instant, PERIOD_ORDER_ISSUE, periodInOrder } from '@/server/api/schemas/common';
import { zodFieldErrors } from '@/server/api/trpc';
import { exportAuditEvents, type AuditActor } from '@/server/domain/audit';
import { DomainError } from '@/server/domain/errors';
import { checkLimit, hit, LIMITS } from '@/server/domain/rate-limit';
import { ledgerLease } from '@/server/domain/ledger';
import { canonicalJson, type EventView } from '@/server/domain/events';
import { centsToDecimal } from '@/server/domain/money';
import { repeatedQueryKeys } from '@/server/http-semantics';
import { formulaSafe } from './formula';
import { ledgerEntriesForExport, paymentsForExport, statementLines } from '@/server/domain/statements';

type Row = Record<string, string | number | null>;

interface ExportFile {
  /** Rows to write, produced lazily. */
  rows: AsyncIterable<Row>;
  /** CSV columns (ignored for JSON lines). */
  columns?: ColumnOption[];
  format: 'csv' | 'jsonl';
  /** The file name offered to the browser, without the date. */
  baseName: string;
}

interface ExportDefinition<Q> {
  query: ZodType<Q>;
  /**
   * Checks access (throws DomainError NOT_FOUND before anything is sent) and returns the file
   * with its rows unread: they are read as the body is pulled, so a HEAD reads none.
   */
  open(user: SessionUser, query: Q): Promise<ExportFile>;
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** One line of events.csv / events.jsonl: every field the event's hash covers, plus the row id. */
function eventRecord(event: EventView, dataAs: 'canonical' | 'object') {
  return {
    id: event.id,
    aggregateType: event.aggregateType,
    aggregateId: event.aggregateId,
    sequence: event.sequence,
    type: event.type,
    actorId: event.actor.id,
    actorRole: event.actor.role,
    reason: event.reason,
    createdAt: event.createdAt.toISOString(),
    data: dataAs === 'canonical' ? canonicalJson(event.data) : event.data,
    prevHash: event.prevHash,
    hash: event.hash,
  };
}

/** The column order of events.csv (README documents each). */
export const EVENT_COLUMNS = ['id', 'aggregateType', 'aggregateId', 'sequence', 'type', 'actorId', 'actorRole', 'reason', 'createdAt', 'data', 'prevHash', 'hash'] as const;

function auditActor(user: SessionUser): AuditActor {
  return { id: user.id, role: user.role, operator: user.operator };
}

async function* flatten<T, R>(batches: AsyncIterable<T[]>, map: (item: T) => R): AsyncGenerator<R> {
  for await (const batch of batches) for (const item of batch) yield map(item);
}

/** The items `load` reads, read on the first pull: a HEAD, which never pulls, reads nothing. */
async function* each<T, R>(load: () => Promise<T[]>, map: (item: T) => R): AsyncGenerator<R> {
  for (const item of await load()) yield map(item);
}

const money = (key: string, header: string): ColumnOption[] => [
  { key, header },
  { key: `${key}Cents`, header: `${header}Cents` },
];

const leaseQuery = z.strictObject({ leaseId: id });
const periodQuery = z.strictObject({ from: instant.optional(), to: instant.optional() }).refine(periodInOrder, PERIOD_ORDER_ISSUE);

/** Keeps each export's query type checked against its `open`, then forgets it for the table. */
function defineExport<Q>(definition: ExportDefinition<Q>): ExportDefinition<unknown> {
  return definition as ExportDefinition<unknown>;
}

const EXPORTS: Record<string, ExportDefinition<unknown>> = {
  'events.csv': defineExport({
    query: exportEventsQuery,
    open: async (user, query: z.infer<typeof exportEventsQuery>) => ({
      format: 'csv',
      baseName: 'events',
      columns: EVENT_COLUMNS.map((key) => ({ key })),
      rows: flatten(exportAuditEvents(db, auditActor(user), query), (event) => eventRecord(event, 'canonical') as Row),
    }),
  }),
  'events.jsonl': defineExport({
    query: exportEventsQuery,
    open: async (user, query: z.infer<typeof exportEventsQuery>) => ({
      format: 'jsonl',
      baseName: 'events',
      rows: flatten(exportAuditEvents(db, auditActor(user), query), (event) => eventRecord(event, 'object') as unknown as Row),
    }),
  }),
  'payments.csv': defineExport({
    query: periodQuery,
    open: async (user, query: z.infer<typeof periodQuery>) => ({
      format: 'csv',
      baseName: 'payments',
      columns: [
        { key: 'createdAt' }, { key: 'paymentId' }, { key: 'leaseId' }, { key: 'property' }, { key: 'installmentNumber' }, { key: 'dueDate' },
        { key: 'renter' }, { key: 'rail' }, { key: 'status' }, { key: 'attempt' }, ...money('amount', 'amount'), ...money('fee', 'fee'),
        { key: 'settledAt' }, { key: 'finalAt' }, { key: 'returnedAt' }, { key: 'failureCode' }, { key: 'failureReason' },
      ],
      rows: flatten(paymentsForExport(db, user, query), (payment) => ({
        createdAt: iso(payment.createdAt),
        paymentId: payment.id,
        leaseId: payment.leaseId,
        property: payment.property,
        installmentNumber: payment.installmentNumber,
        dueDate: payment.dueDate,
        renter: payment.renter,
        rail: payment.rail,
        status: payment.status,
        attempt: payment.attempt,
        amount: centsToDecimal(payment.amountCents),
        amountCents: payment.amountCents,
        fee: centsToDecimal(payment.feeCents),
        feeCents: payment.feeCents,
        settledAt: iso(payment.settledAt),
        finalAt: iso(payment.finalAt),
        returnedAt: iso(payment.returnedAt),
        failureCode: payment.failureCode,
        failureReason: payment.failureReason,
      })),
    }),
  }),
  'ledger.csv': defineExport({
    query: leaseQuery,
    open: async (user, query: z.infer<typeof leaseQuery>) => ({
      format: 'csv',
      baseName: `ledger-${(await ledgerLease(db, user, query.leaseId)).id}`,
      columns: [{ key: 'createdAt' }, { key: 'transactionId' }, { key: 'kind' }, { key: 'reason' }, { key: 'installmentNumber' }, { key: 'paymentId' }, { key: 'account' }, ...money('amount', 'amount')],
      rows: each(() => ledgerEntriesForExport(db, user, query), (entry) => ({
        createdAt: iso(entry.createdAt),
        transactionId: entry.transactionId,
        kind: entry.kind,
        reason: entry.reason,
        installmentNumber: entry.installmentNumber,
        paymentId: entry.paymentId,
        account: entry.account,
        amount: centsToDecimal(entry.amountCents),
        amountCents: entry.amountCents,
      })),
    }),
  }),
  'statement.csv': defineExport({
    query: leaseQuery,
    open: async (user, query: z.infer<typeof leaseQuery>) => ({
      format: 'csv',
      baseName: `statement-${(await ledgerLease(db, user, query.leaseId)).id}`,
      columns: [{ key: 'date' }, { key: 'description' }, { key: 'installmentNumber' }, { key: 'reason' }, { key: 'paymentId' }, ...money('amount', 'amount'), ...money('balance', 'balance')],
      rows: each(() => statementLines(db, user, query), (line) => ({
        date: iso(line.createdAt),
        description: line.description,
        installmentNumber: line.installmentNumber,
        reason: line.reason,
        paymentId: line.paymentId,
        amount: centsToDecimal(line.amountCents),
        amountCents: line.amountCents,
        balance: centsToDecimal(line.balanceCents),
        balanceCents: line.balanceCents,
      })),
    }),
  }),
};

/** The export names served under /api/export/. */
export const EXPORT_NAMES = Object.keys(EXPORTS);

function errorResponse(status: number, code: string, message: string, fieldErrors?: Record<string, string[] | undefined>): Response {
  return Response.json({ error: { message, code, ...(fieldErrors ? { fieldErrors } : {}) } }, { status, headers: { 'cache-control': 'no-store' } });
}

const DOMAIN_STATUS: Partial<Record<DomainError['code'], number>> = { NOT_FOUND: 404, FORBIDDEN: 403, BAD_REQUEST: 400, UNAUTHORIZED: 401 };

/** Body stream of the file: rows piped through csv-stringify, or one JSON object a line. */
function bodyOf(file: ExportFile): ReadableStream<Uint8Array> {
  const source = Readable.from(file.rows, { objectMode: true, highWaterMark: 64 });
  const encoder =
    file.format === 'csv'
      ? stringify({ header: true, columns: file.columns, cast: { date: (value) => value.toISOString(), string: formulaSafe } })
      : new Transform({
          writableObjectMode: true,
          transform(row, _encoding, done) {
            done(null, `${JSON.stringify(row)}\n`);
          },
        });
  const requestId = currentRequestId();
  // A failure after the first byte cannot change the status: the stream is destroyed, so the
  // client sees a cut-off transfer rather than a file that merely looks complete.
  pipeline(source, encoder, (error) => {
    if (!error) return;
    // The client stopped reading (closed the tab, cancelled the download): nothing failed here.
    const clientGone = (error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE' || error.name === 'ResponseAborted' || error.name === 'AbortError';
    if (clientGone) logger.info({ requestId }, 'export stopped: the client stopped reading');
    else logger.error({ requestId, err: error }, 'export failed while streaming');
  });
  return Readable.toWeb(encoder) as ReadableStream<Uint8Array>;
}

/**
 * Answers GET /api/export/<name>: authorization and validation first (401, 400, 404 as JSON),
 * then the file, streamed. The caller wraps it in handleApiRequest (request id, 500/503).
 * HEAD answers what GET would (status and headers: access checked, 429 when the export
 * allowance `LIMITS.auditReadsPerUser` is used up) without reading a row or spending the allowance.
 */
export async function exportResponse(request: Request, name: string): Promise<Response> {
  const definition = Object.hasOwn(EXPORTS, name) ? EXPORTS[name] : undefined;
  if (!definition) return errorResponse(404, 'NOT_FOUND', `No export named ${name}; there are ${EXPORT_NAMES.join(', ')}`);
  const user = await sessionUserFromHeaders(request.headers);
  if (!user) return errorResponse(401, 'UNAUTHORIZED', 'Sign in to continue');
  // The query first: a malformed one is refused without using up the caller's allowance.
  const params = new URL(request.url).searchParams;
  // A key given twice would be read as one of its values, silently: refused, as on /api/v1.
  const repeated = repeatedQueryKeys(params);
  if (repeated.length) return errorResponse(400, 'BAD_REQUEST', 'Invalid query string', Object.fromEntries(repeated.map((key) => [key, ['give it once']])));
  const parsed = definition.query.safeParse(Object.fromEntries(params));
  if (!parsed.success) return errorResponse(400, 'BAD_REQUEST', 'Invalid query string', zodFieldErrors(parsed.error) as Record<string, string[]>);
  const head = request.method === 'HEAD';
  try {
    // HEAD answers 429 where GET would, without spending the allowance.
    await (head ? checkLimit : hit)(db, LIMITS.auditReadsPerUser(user.id));
  } catch (error) {
    if (error instanceof DomainError && error.code === 'TOO_MANY_REQUESTS') {
      const response = errorResponse(429, error.code, error.message);
      if (error.retryAfterSeconds) response.headers.set('retry-after', String(error.retryAfterSeconds));
      return response;
    }
    throw error;
  }
  let file: ExportFile;
  try {
    file = await definition.open(user, parsed.data);
  } catch (error) {
    if (error instanceof DomainError && DOMAIN_STATUS[error.code]) return errorResponse(DOMAIN_STATUS[error.code]!, error.code, error.message);
    throw error;
  }
  const day = new Date().toISOString().slice(0, 10);
  const extension = file.format === 'csv' ? 'csv' : 'jsonl';
  return new Response(head ? null : bodyOf(file), {
    status: 200,
    headers: {
      'content-type': file.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      'content-disposition': `attachment; filename="${file.baseName}-${day}.${extension}"`,
      'cache-control': 'no-store',
    },
  });
}
