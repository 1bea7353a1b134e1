// The API's error bodies and request ids, in one place: the request wrapper's answers
// (server/request-context.ts) and the gate's refusals of a door's request (server/api-body-limit.ts)
// use them. Plain functions, no server-only imports: the gate loads this outside Next's bundle.
import { randomUUID } from 'node:crypto';

/** A caller's request id we accept as ours: 1–64 letters, digits, `.`, `_`, `:` or `-`. */
const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** The request's id: the caller's `X-Request-Id` when well-formed (`given`), else a new UUID. */
export function requestIdFrom(given: string | null | undefined): string {
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** JSON-RPC codes tRPC uses for these answers. */
export const JSON_RPC_CODES: Record<string, number> = {
  BAD_REQUEST: -32600,
  NOT_FOUND: -32004,
  METHOD_NOT_SUPPORTED: -32005,
  UNSUPPORTED_MEDIA_TYPE: -32015,
  PAYLOAD_TOO_LARGE: -32013,
  SERVICE_UNAVAILABLE: -32603,
  INTERNAL_SERVER_ERROR: -32603,
  CLIENT_CLOSED_REQUEST: -32099,
};

/**
 * A JSON error body in the shape of the door at `path`: /api/v1's REST shape
 * (`{ code, message, data }`, as its own refusals), the exports' (`{ error: { message, code } }`),
 * or the one tRPC clients read (`error.json.message`, `error.json.data.code`) everywhere else.
 */
export function errorBody(path: string, status: number, code: string, message: string, requestId: string): unknown {
  return path.startsWith('/api/v1/')
    ? { code, message, data: { code, httpStatus: status, path: null, fieldErrors: null, requestId } }
    : path.startsWith('/api/export/')
      ? { error: { message, code, requestId } }
      : { error: { json: { message, code: JSON_RPC_CODES[code], data: { code, httpStatus: status, requestId } } } };
}
