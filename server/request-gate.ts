// Every request the process's HTTP servers receive passes these steps, in the order they were
// added, before Next.js sees it. Added once at start-up (instrumentation.ts → server/startup.ts),
// outside Next's server bundle: what Next would mishandle is put right, or answered, here.
// The steps: the socket peer into X-Forwarded-For (server/client-address.ts), undecodable
// percent-escapes taken literally (server/url-path.ts), methods no path serves refused
// (server/http-methods.ts).
import http from 'node:http';

/** A step: may change the request; returns true when it has answered it, and then no later step, nor Next, sees it. */
export type GateStep = (request: http.IncomingMessage, response: http.ServerResponse) => boolean | void;

const GATE = Symbol.for('directpay.requestGate');

type GatedServer = http.Server & { [GATE]?: Map<string, GateStep> };

/** The gate's steps by name, the gate installed on http.Server on first use. */
function steps(): Map<string, GateStep> {
  const prototype = http.Server.prototype as GatedServer;
  const installed = prototype[GATE];
  if (installed) return installed;
  const added = new Map<string, GateStep>();
  const emit = prototype.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  prototype.emit = function emitThroughGate(this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const [request, response] = args as [http.IncomingMessage, http.ServerResponse];
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

/** Adds `step` to every HTTP server of the process, after the steps added before it. Idempotent per name. */
export function addGateStep(name: string, step: GateStep): void {
  const added = steps();
  if (!added.has(name)) added.set(name, step);
}
