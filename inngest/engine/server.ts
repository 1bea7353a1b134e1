// The engine's HTTP side, the part of Inngest's API the SDK calls:
// POST /e/<event key> (event intake), POST /fn/register (sync) and
// POST /v1/checkpoint/<run id>/async (the steps a checkpointing call ran: executor.ts
// recordCheckpoint). As on Inngest Cloud, only the configured event key may send events, and
// only the SDK's bearer token for the signing key may sync or checkpoint (signing.ts); anything
// else answers 401 and changes nothing.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage, unstorable, type ServingContext } from './context';
import { CheckpointError, recordCheckpoint } from './executor';
import { EventError, ingestEvents } from './runs';
import { isAuthorizedSdkCall, sameSecret } from './signing';
import { registerApp } from './sync';
import { transaction } from './tx';

const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** `close`: end the connection after this answer (a body left unread cannot be skipped). */
function send(res: http.ServerResponse, status: number, body: unknown, close = false): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...(close ? { connection: 'close' } : {}) });
  res.end(text);
}

/** The caller went away before its body arrived: nothing to answer, nothing to log. */
class ClientGone extends Error {}

/** A request body the engine will not read: 413 past MAX_BODY_BYTES, 400 when it is not JSON or not storable. */
class BodyError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The request's body as JSON (null when empty). Past MAX_BODY_BYTES it stops reading, leaves
 * the stream paused (not destroyed, so the 413 still reaches the caller) and rejects; the
 * answer then closes the connection.
 */
function readBody(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        refused = true;
        req.pause();
        reject(new BodyError(413, `request body too large (at most ${MAX_BODY_BYTES} bytes)`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => reject(new ClientGone('the request was aborted')));
    req.on('end', () => {
      if (refused) return;
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        return reject(new BodyError(400, 'request body is not JSON'));
      }
      const why = unstorable(body);
      if (why) return reject(new BodyError(400, `request body cannot be stored: ${why}`));
      resolve(body);
    });
  });
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/**
 * Answers 401 to a sync or checkpoint without the SDK's bearer token for the signing key
 * (signing.ts), leaving its body unread; true when it did. The SDK reads `status` and `error`
 * from the body (it ignores the HTTP status); `extra` adds what an endpoint's answers carry.
 */
function refuseUnsigned(ctx: ServingContext, req: http.IncomingMessage, res: http.ServerResponse, what: string, extra: Record<string, unknown> = {}): boolean {
  if (isAuthorizedSdkCall(req.headers.authorization, ctx.keys.signingKey)) return false;
  req.resume();
  send(res, 401, { status: 401, error: `Unauthorized: the ${what} is not signed with this engine's signing key`, ...extra });
  return true;
}

/**
 * Answers a request that failed with the error's own status and message when it is the
 * caller's (a body it cannot read, an event or checkpoint refused); anything else is the
 * engine's: logged with its stack, answered 500 without internals.
 */
function sendFailure(ctx: ServingContext, res: http.ServerResponse, what: string, error: unknown, extra: Record<string, unknown> = {}): void {
  if (error instanceof ClientGone) return void res.destroy();
  let status = 500;
  let message = `the local Inngest engine could not handle the ${what}; its log has the cause`;
  const sqlState = String((error as { code?: unknown } | null)?.code ?? '');
  if (error instanceof BodyError || error instanceof CheckpointError) [status, message] = [error.status, error.message];
  else if (error instanceof EventError) [status, message] = [400, error.message];
  // A value PostgreSQL refused (SQLSTATE class 22, data exception; 54, a value past a limit
  // such as an index row's size) came from the request: the caller's 400, without the
  // database's words.
  else if (/^(22|54)/.test(sqlState)) [status, message] = [400, `a value in the ${what} cannot be stored (SQLSTATE ${sqlState})`];
  else ctx.log(`${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  // Past the size limit the rest of the body is never read: the connection cannot carry another request.
  send(res, status, { status, error: message, ...extra }, status === 413);
}

async function handle(ctx: ServingContext, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://engine').pathname;
  if (req.method === 'GET' && (path === '/' || path === '/health')) {
    send(res, 200, { ok: true, engine: 'directpay-local-inngest' });
    return;
  }
  const eventKey = /^\/e\/([^/]+)$/.exec(path)?.[1];
  if (req.method === 'POST' && eventKey !== undefined) {
    if (!sameSecret(safeDecode(eventKey), ctx.keys.eventKey)) {
      req.resume();
      send(res, 401, { error: 'Event key not found', status: 401 });
      return;
    }
    try {
      const body = await readBody(req);
      const events = Array.isArray(body) ? body : [body];
      const { ids } = await transaction(ctx.pool, (tx) => ingestEvents(ctx, tx, events));
      // The SDK requires the `status` field besides `ids`.
      send(res, 200, { ids, status: 200 });
    } catch (error) {
      sendFailure(ctx, res, 'event intake', error);
    }
    return;
  }
  if (req.method === 'POST' && path === '/fn/register') {
    if (refuseUnsigned(ctx, req, res, 'sync', { modified: false })) return;
    try {
      const answer = await registerApp(ctx, await readBody(req));
      send(res, answer.httpStatus, answer.body);
    } catch (error) {
      sendFailure(ctx, res, 'sync', error, { modified: false });
    }
    return;
  }
  const checkpointRun = /^\/v1\/checkpoint\/([^/]+)\/async$/.exec(path)?.[1];
  if (req.method === 'POST' && checkpointRun !== undefined) {
    if (refuseUnsigned(ctx, req, res, 'checkpoint')) return;
    try {
      const body = await readBody(req);
      const runId = safeDecode(checkpointRun);
      if (runId === null) throw new CheckpointError(400, 'unreadable run id');
      const steps = await recordCheckpoint(ctx, runId, body);
      ctx.log('checkpoint', { runId, steps });
      send(res, 200, { status: 200 });
    } catch (error) {
      // The SDK retries any other failure a few times, then answers the call with the steps it
      // holds instead (the classic way); on 409 it stops, the run being another worker's now.
      sendFailure(ctx, res, 'checkpoint', error);
    }
    return;
  }
  send(res, 404, { error: `the local Inngest engine does not serve ${req.method} ${path}`, status: 404 });
}

export async function startHttpServer(ctx: ServingContext, host: string, port: number): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((req, res) => {
    handle(ctx, req, res).catch((error: unknown) => {
      ctx.log(`request failed: ${errorMessage(error)}`);
      if (!res.headersSent) send(res, 500, { error: 'internal error', status: 500 });
    });
  });
  // Keep-alive connections from the SDK would otherwise hold `close()` open.
  server.keepAliveTimeout = 5_000;
  // A request whose body trickles in is cut off (408) after this long, not Node's 5 minutes.
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return { server, url: `http://${shownHost}:${address.port}` };
}
