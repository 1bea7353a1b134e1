// Every request the process's HTTP servers receive passes these steps, in the order they were
// added, before Next.js sees it. Added once at start-up (instrumentation.ts → server/startup.ts),
// outside Next's server bundle: what Next would mishandle is put right, or answered, here.
// The steps: the socket peer into X-Forwarded-For (server/client-address.ts), the request-target
// read (absolute-form to a path, undecodable percent-escapes taken literally; server/url-path.ts),
// methods no path serves refused (server/http-methods.ts). And once the process is stopping, every connection is closed as
// soon as it is idle (closeConnectionsWhenStopping).
import http from 'node:http';

/** A step: may change the request; returns true when it has answered it, and then no later step, nor Next, sees it. */
export type GateStep = (request: http.IncomingMessage, response: http.ServerResponse) => boolean | void;

const GATE = Symbol.for('directpay.requestGate');

/** The servers that have accepted a connection, and whether the process is stopping (closeConnectionsWhenStopping). */
const served = new Set<http.Server>();
let stopping = false;

type GatedServer = http.Server & { [GATE]?: Map<string, GateStep> };

/** The gate's steps by name, the gate installed on http.Server on first use. */
function steps(): Map<string, GateStep> {
  const prototype = http.Server.prototype as GatedServer;
  const installed = prototype[GATE];
  if (installed) return installed;
  const added = new Map<string, GateStep>();
  const emit = prototype.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  prototype.emit = function emitThroughGate(this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'connection') served.add(this);
    if (event === 'request') {
      const [request, response] = args as [http.IncomingMessage, http.ServerResponse];
      // The answer tells the client not to send on this connection again.
      if (stopping) response.setHeader('connection', 'close');
      for (const step of added.values()) {
        if (step(request, response) === true) {
          request.resume(); // an answered request's body is read and dropped, so the connection can be reused
          return true;
        }
      }
    }
    return emit.call(this, event, ...args);
  } as typeof prototype.emit;
  prototype[GATE] = added;
  return added;
}

/** A step's refusal: `status` with the API's JSON error body (`{ error: { code, message } }`) and `headers`; returns true (answered). */
export function refuseAtGate(response: http.ServerResponse, status: number, error: { code: string; message: string }, headers: Record<string, string> = {}): true {
  const body = JSON.stringify({ error });
  response.writeHead(status, { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'content-length': Buffer.byteLength(body) });
  response.end(body);
  return true;
}

/** Adds `step` to every HTTP server of the process, after the steps added before it. Idempotent per name. */
export function addGateStep(name: string, step: GateStep): void {
  const added = steps();
  if (!added.has(name)) added.set(name, step);
}

/** How often a stopping process closes the connections that have gone idle (ms). */
const IDLE_SWEEP_MS = 100;
/**
 * How long a stopping process waits for the requests in flight before it closes every
 * connection (ms): less than the runner's 10 s before it SIGKILLs Next (scripts/lib/run-app.ts),
 * so the stop stays clean.
 */
export const STOP_GRACE_MS = 5_000;

/**
 * On SIGTERM or SIGINT, closes each idle keep-alive connection at once and each busy one within
 * IDLE_SWEEP_MS of its answer (a request that arrives meanwhile is answered `Connection: close`),
 * so Next's `server.close()` — which waits for every connection — ends when the requests in
 * flight do. Node closes the connections idle at that moment only; one still answering, or
 * reused by a client polling the port, would otherwise hold the stop for the whole keep-alive
 * timeout (65 s under `npm start`). After STOP_GRACE_MS whatever is left — a request still
 * running, or a connection that never sent a whole one (half its headers, a short body) — is
 * closed too: the stop ends then, not at the runner's SIGKILL.
 * Installed at start-up (server/startup.ts); Next's own handler ends the process.
 */
export function closeConnectionsWhenStopping(): void {
  process.once('SIGTERM', () => closeConnectionsNow());
  process.once('SIGINT', () => closeConnectionsNow());
}

/** What closeConnectionsWhenStopping does on the signal (tests call it directly, with a shorter grace). Idempotent. */
export function closeConnectionsNow(graceMs: number = STOP_GRACE_MS): void {
  if (stopping) return;
  stopping = true;
  const sweep = () => {
    for (const server of served) server.closeIdleConnections();
  };
  sweep();
  setInterval(sweep, IDLE_SWEEP_MS).unref();
  setTimeout(() => {
    for (const server of served) server.closeAllConnections();
  }, graceMs).unref();
}
