// The engine's HTTP side, the part of Inngest's API the SDK calls:
// POST /e/<event key> (event intake), POST /fn/register (sync) and
// POST /v1/checkpoint/<run id>/async (the steps a checkpointing call ran: executor.ts
// recordCheckpoint). As on Inngest Cloud, only the configured event key may send events, and
// only the SDK's bearer token for the signing key may sync or checkpoint (signing.ts); anything
// else answers 401 and changes nothing.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage, type ServingContext } from './context';
import { CheckpointError, recordCheckpoint } from './executor';
import { EventError, ingestEvents } from './runs';
import { isAuthorizedSdkCall, sameSecret } from './signing';
import { registerApp } from './sync';
import { transaction } from './tx';

const MAX_BODY_BYTES = 10 * 1024 * 1024;

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new EventError('request body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    throw new EventError('request body is not JSON');
  }
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
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
    let body: unknown;
    try {
      body = await readBody(req);
    } catch (error) {
      send(res, 400, { error: errorMessage(error), status: 400 });
      return;
    }
    const events = Array.isArray(body) ? body : [body];
    try {
      const { ids } = await transaction(ctx.pool, (tx) => ingestEvents(ctx, tx, events));
      // The SDK requires the `status` field besides `ids`.
      send(res, 200, { ids, status: 200 });
    } catch (error) {
      if (error instanceof EventError) {
        send(res, 400, { error: error.message, status: 400 });
      } else {
        ctx.log(`event intake failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        send(res, 500, { error: errorMessage(error), status: 500 });
      }
    }
    return;
  }
  if (req.method === 'POST' && path === '/fn/register') {
    if (!isAuthorizedSdkCall(req.headers.authorization, ctx.keys.signingKey)) {
      req.resume();
      // The SDK reads `status` and `error` from the body (it ignores the HTTP status).
      send(res, 401, { status: 401, error: 'Unauthorized: the sync is not signed with this engine\'s signing key', modified: false });
      return;
    }
    let body: unknown;
    try {
      body = await readBody(req);
    } catch (error) {
      send(res, 400, { status: 400, error: errorMessage(error), modified: false });
      return;
    }
    try {
      const answer = await registerApp(ctx, body);
      send(res, answer.httpStatus, answer.body);
    } catch (error) {
      ctx.log(`sync failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      send(res, 500, { status: 500, error: `the local Inngest engine failed to store the sync: ${errorMessage(error)}`, modified: false });
    }
    return;
  }
  const checkpointRun = /^\/v1\/checkpoint\/([^/]+)\/async$/.exec(path)?.[1];
  if (req.method === 'POST' && checkpointRun !== undefined) {
    if (!isAuthorizedSdkCall(req.headers.authorization, ctx.keys.signingKey)) {
      req.resume();
      send(res, 401, { error: 'Unauthorized: the checkpoint is not signed with this engine\'s signing key', status: 401 });
      return;
    }
    const runId = safeDecode(checkpointRun);
    let body: unknown;
    try {
      body = await readBody(req);
      if (runId === null) throw new CheckpointError(400, 'unreadable run id');
      await recordCheckpoint(ctx, runId, body);
      send(res, 200, { status: 200 });
    } catch (error) {
      // The SDK retries any other failure a few times, then answers the call with the steps it
      // holds instead (the classic way); on 409 it stops, the run being another worker's now.
      if (error instanceof CheckpointError || error instanceof EventError) {
        send(res, error instanceof CheckpointError ? error.status : 400, { error: error.message, status: error instanceof CheckpointError ? error.status : 400 });
      } else {
        ctx.log(`checkpoint failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        send(res, 500, { error: errorMessage(error), status: 500 });
      }
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
