// Refuse to start with a clear message when the environment is invalid, instead of failing
// on the first request; then prepare the HTTP server.
import { EnvError, loadEnv } from '@/server/env';
import { recordSocketAddress } from '@/server/client-address';
import { refuseUnroutedMethods } from '@/server/http-methods';
import { closeConnectionsWhenStopping } from '@/server/request-gate';
import { takeUndecodablePathsLiterally } from '@/server/url-path';

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

// A path whose percent-escapes do not decode (`/leases/%FF`) reaches its route with them taken
// literally, instead of Next's bare 500 (server/url-path.ts).
takeUndecodablePathsLiterally();

// A method no path serves (TRACE, PROPFIND, …) is a 405 before Next sees it (server/http-methods.ts).
refuseUnroutedMethods();

// Stopping, the server closes each keep-alive connection once it is idle: the stop waits for the
// requests in flight, not for the keep-alive timeout (server/request-gate.ts).
closeConnectionsWhenStopping();
