// A request to an API route that declares a body larger than its door reads is answered 413 at
// the gate, before Node invites the body of an `Expect: 100-continue` request (the gate answers
// Node's checkContinue: server/request-gate.ts) and before Next reads any of it. The door's own
// check (bodyTooLarge, server/request-context.ts) stays for a body of no declared length, read up
// to the limit. Found by a stranger: a 2 MB payment.create waiting for 100 Continue was invited,
// sent its 2 MB, then got the 413; /api/inngest waited for the whole body.
import { apiBodyLimit, bodyTooLargeMessage } from '@/server/api/limits';
import { errorBody, requestIdFrom } from '@/server/error-shape';
import { addGateStep, answerAtGate, declaredLength } from '@/server/request-gate';
import { isApiPath, resolvedPath } from '@/server/url-path';

/** Installs the gate step: 413 in the door's error shape (errorBody), with X-Request-Id. */
export function refuseApiBodiesTooLarge(): void {
  addGateStep('api body limit', (request, response) => {
    const declared = declaredLength(request);
    if (declared === null) return false;
    const path = resolvedPath(request.url);
    if (!isApiPath(path)) return false;
    const limit = apiBodyLimit(path);
    if (declared <= limit) return false;
    const requestId = requestIdFrom(request.headers['x-request-id'] as string | undefined);
    return answerAtGate(response, 413, errorBody(path, 413, 'PAYLOAD_TOO_LARGE', bodyTooLargeMessage(limit), requestId), { 'x-request-id': requestId });
  });
}
