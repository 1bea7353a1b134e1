// Refuse to start with a clear message when the environment is invalid, instead of failing
// on the first request; then prepare the HTTP server.
import { EnvError, loadEnv } from '@/server/env';
import { recordSocketAddress } from '@/server/client-address';
import { refusePageMethods, refuseUnroutedMethods } from '@/server/http-methods';
import { refuseUnreadableServerActions } from '@/server/action-body';
import { refuseApiBodiesTooLarge } from '@/server/api-body-limit';
import { closeConnectionsWhenStopping } from '@/server/request-gate';
import { handlePageErrors } from '@/server/page-errors';
import { readRequestTargets } from '@/server/url-path';

try {
  loadEnv();
} catch (error) {
  if (error instanceof EnvError) {
    console.error(`\n${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

// The socket peer goes into X-Forwarded-For before Next sees a request: the client address
// the rate limits count by cannot be made up (server/client-address.ts).
recordSocketAddress();

// Each request-target read before Next does: an absolute-form one as its path, `*` refused, and
// undecodable percent-escapes (`/leases/%FF`) taken literally, where Next answered 500s (server/url-path.ts).
readRequestTargets();

// A method no path serves (TRACE, PROPFIND, …) is a 405 before Next sees it (server/http-methods.ts).
refuseUnroutedMethods();
// A page takes GET, HEAD and POST (its server actions): OPTIONS is 204 with Allow, PUT, PATCH and
// DELETE 405, where Next answered an empty 400 and the page itself (server/http-methods.ts).
refusePageMethods();

// A server action call whose body Next cannot read is a 4xx, not Next's 500: 411 without a
// declared length, 413 over Next's 1 MB, 400 when it does not decode (server/action-body.ts).
refuseUnreadableServerActions();

// A request to an API route that declares a body over its route's limit is 413 before its body is
// invited or read (server/api-body-limit.ts); a body of no declared length is the route's to count.
refuseApiBodiesTooLarge();

// Stopping, the server closes each keep-alive connection once it is idle: the stop waits for the
// requests in flight, not for the keep-alive timeout (server/request-gate.ts).
closeConnectionsWhenStopping();

// A page or server action that failed because the database could not be used answers 503 with
// Retry-After, not Next's 500 (server/page-errors.ts, through instrumentation.ts onRequestError).
handlePageErrors();
