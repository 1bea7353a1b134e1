// The OpenAPI 3.1 document of the REST API (/api/v1), generated from the tRPC routers by
// trpc-to-openapi: every procedure with `meta.openapi` (and its zod input and output schemas)
// is one operation. Served at /api/openapi.json and rendered at /docs; the prose a reader needs
// (auth, idempotency, errors, rate limits, webhooks, paying rent with curl) is its Markdown
// `info.description`. Errors are described in the one shape /api/v1 answers (app/api/v1).
import 'server-only';
import { generateOpenApiDocument } from 'trpc-to-openapi';
import { appRouter } from '@/server/api/root';
import { env } from '@/server/env';
import { WEBHOOK_EVENTS } from '@/server/domain/webhook-events';
import { IDEMPOTENCY_TTL_MS } from '@/server/domain/idempotency';
import { API_TOKEN_LIFETIME_DAYS } from '@/server/api/schemas/api-token';

/** Where the REST routes live, relative to the site (the document's `servers`). */
export const REST_BASE_PATH = '/api/v1';

function description(): string {
  const paymentLimit = env.PAYMENT_MUTATIONS_PER_USER_PER_MINUTE;
  return `DirectPay's REST API: the same procedures, rules and answers as the portal's tRPC API
(\`/api/trpc\`), as plain JSON over HTTP for any language. This document is generated from the
routers; fetch it at \`/api/openapi.json\`.

## Authentication

Create a personal **API token** in the portal: **Settings → API tokens** (it is shown once and
stored only as a hash; revoke it there). Send it on every request:

\`\`\`
Authorization: Bearer dp_…
\`\`\`

A token acts as its owner, with the owner's role (landlord or renter), exactly as on
\`/api/trpc\`, within what was chosen when it was made:

- **Scope**: \`READ\` (the default) may call the \`GET\` operations only: a \`POST\` answers
  **403 FORBIDDEN** and changes nothing. \`WRITE\` may call both; paying rent needs one.
- **Lifetime**: ${API_TOKEN_LIFETIME_DAYS.min} to ${API_TOKEN_LIFETIME_DAYS.max} days (${API_TOKEN_LIFETIME_DAYS.default} by default); from its expiry on, the
  token answers **401 UNAUTHORIZED**, as a revoked one does. Make a new one before then.

Tokens, the password, sessions, webhook endpoints, bank accounts and a lease's payout account are
managed in the portal only, never with a token. The portal's session cookie is not read here: this API is for programs. No, an invalid,
a revoked or an expired token answers **401 UNAUTHORIZED**; the wrong role, or a \`READ\` token's
\`POST\`, answers **403 FORBIDDEN**; a record that is not yours answers **404 NOT_FOUND**, exactly
as one that does not exist.

## Idempotency

\`POST /payments\` and \`POST /payments/{id}/retry\` accept an \`Idempotency-Key\` header (1–255
printable ASCII characters; or the \`idempotencyKey\` body field). The same key with the same body
within ${IDEMPOTENCY_TTL_MS / 3_600_000} hours answers the first call's response with the header
\`Idempotent-Replayed: true\` — no second payment, event or settlement. The same key with a
different body answers **409 CONFLICT**. Keys are shared with the tRPC API: a key used there
replays here. Always send one when paying, and reuse it when you retry after a timeout.

## Errors

Every error is JSON of one shape, with the HTTP status of its code:

\`\`\`json
{
  "code": "BAD_REQUEST",
  "message": "Invalid input: rail: must be one of RTP, WIRE, SAME_DAY_ACH, STANDARD_ACH",
  "data": {
    "code": "BAD_REQUEST",
    "httpStatus": 400,
    "path": "payment.create",
    "fieldErrors": { "rail": ["must be one of RTP, WIRE, SAME_DAY_ACH, STANDARD_ACH"] },
    "requestId": "3f0c…"
  }
}
\`\`\`

| code | status | when |
| --- | --- | --- |
| \`BAD_REQUEST\` | 400 | input that does not validate (\`data.fieldErrors\` per field); nothing changed |
| \`UNAUTHORIZED\` | 401 | no, invalid, revoked or expired token |
| \`FORBIDDEN\` | 403 | the wrong role (e.g. a landlord paying rent), or a \`POST\` with a token of scope \`READ\` |
| \`NOT_FOUND\` | 404 | missing, or not yours; or a path this API does not have (paths match exactly as written here, letter case included) |
| \`METHOD_NOT_SUPPORTED\` | 405 | a method the path does not take; \`Allow\` lists those it does (\`HEAD\` is \`GET\` without the body) |
| \`CONFLICT\` | 409 | the record's state forbids it (e.g. cancelling a payment already PROCESSING), or an Idempotency-Key reused with other parameters |
| \`PAYLOAD_TOO_LARGE\` | 413 | a body over 1 MB |
| \`UNSUPPORTED_MEDIA_TYPE\` | 415 | a body that is not \`application/json\` (UTF-8; \`+json\` types such as \`application/merge-patch+json\` are not read as JSON); an empty body needs no type and sends no fields |
| \`TOO_MANY_REQUESTS\` | 429 | a rate limit; wait \`Retry-After\` seconds |
| \`SERVICE_UNAVAILABLE\` | 503 | the database is unreachable; wait \`Retry-After\` seconds |
| \`INTERNAL_SERVER_ERROR\` | 500 | a fault of ours: the message names the request id, nothing else |

Every answer carries \`X-Request-Id\`; quote it when you ask for help.

## Rate limits

Counted per user across every instance, for tRPC and REST together. Payments (\`POST /payments\`,
\`/payments/{id}/retry\`, \`/payments/{id}/cancel\`, and payoffs): **${paymentLimit} a minute**. API
tokens: ${env.API_TOKEN_MUTATIONS_PER_USER_PER_HOUR} creations or revocations an hour; lease
invitations: 200 an hour; webhook changes: 120 an hour; audit reads and exports: 120 an hour;
autopay changes: 60 an hour. Over a limit: **429 TOO_MANY_REQUESTS** with \`Retry-After\` (seconds).
Reads are not limited.

## Webhooks

Register endpoints in **Settings → Webhooks**. Events: ${WEBHOOK_EVENTS.map((event) => `\`${event}\``).join(', ')}.
The body is \`{ "type", "timestamp", "data" }\`, \`data\` being the payment (or the lease) as its
owner reads it from this API. Each request is signed the [Standard Webhooks](https://www.standardwebhooks.com/)
way with the endpoint's secret (\`whsec_…\`, shown once): headers \`webhook-id\` (the same on every
attempt of one message: deduplicate by it), \`webhook-timestamp\` (Unix seconds) and
\`webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">\`. Verify with the Standard
Webhooks library for your language, on the raw body, and refuse old timestamps. Delivery is at
least once: a 2xx within 15 s is success; otherwise retries after 5 s, 5 min, 30 min, 2 h, 5 h,
10 h and 10 h. An endpoint failing for 3 days is disabled and its owner notified.

## CORS

Browser pages on other origins may call this API only from the origins the deployment lists in
\`ALLOWED_ORIGINS\` (none by default), with a Bearer token; credentials (cookies) are never allowed cross-origin.

## Paying rent with curl

\`\`\`bash
# 1. Create a token with scope WRITE in Settings → API tokens, then:
export DIRECTPAY=http://localhost:3000/api/v1
export DIRECTPAY_TOKEN=dp_…

# 2. Your active leases, then one lease with its installments (schedule):
curl -H "Authorization: Bearer $DIRECTPAY_TOKEN" "$DIRECTPAY/leases?status=ACTIVE"
curl -H "Authorization: Bearer $DIRECTPAY_TOKEN" "$DIRECTPAY/leases/LEASE_ID"

# 3. An active bank account to pay from:
curl -H "Authorization: Bearer $DIRECTPAY_TOKEN" "$DIRECTPAY/bank-accounts?active=true"

# 4. Pay the installment; the key makes a retry safe (same key, same body):
curl -X POST "$DIRECTPAY/payments" \\
  -H "Authorization: Bearer $DIRECTPAY_TOKEN" -H 'content-type: application/json' \\
  -H 'Idempotency-Key: rent-2027-01-unit-3' \\
  -d '{"installmentId":"INSTALLMENT_ID","fromAccountId":"ACCOUNT_ID","rail":"STANDARD_ACH"}'

# 5. Poll the payment until it is COMPLETED (or FAILED / RETURNED), or subscribe to webhooks:
curl -H "Authorization: Bearer $DIRECTPAY_TOKEN" "$DIRECTPAY/payments/PAYMENT_ID"
\`\`\`
`;
}

/** The error body every /api/v1 error answers (app/api/v1/[...path]/route.ts). */
const errorSchema = {
  type: 'object',
  required: ['code', 'message', 'data'],
  properties: {
    code: { type: 'string', description: 'The error code (the table under Errors), e.g. NOT_FOUND' },
    message: { type: 'string', description: 'One sentence for a person' },
    data: {
      type: 'object',
      required: ['code', 'httpStatus'],
      properties: {
        code: { type: 'string' },
        httpStatus: { type: 'integer' },
        path: { type: ['string', 'null'], description: 'The procedure (tRPC name)' },
        fieldErrors: {
          type: ['object', 'null'],
          additionalProperties: { type: 'array', items: { type: 'string' } },
          description: 'BAD_REQUEST: the problems of each input field',
        },
        requestId: { type: ['string', 'null'] },
      },
    },
  },
} as const;

const retryAfter = { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' } } };

type Json = Record<string, unknown>;

/** The code /api/v1 answers with each HTTP status (the table in the description), for each response's own example. */
const ERROR_CODES: Record<string, { code: string; message: string }> = {
  '400': { code: 'BAD_REQUEST', message: 'Invalid input: rail: must be one of RTP, WIRE, SAME_DAY_ACH, STANDARD_ACH' },
  '401': { code: 'UNAUTHORIZED', message: 'Sign in to continue' },
  '403': { code: 'FORBIDDEN', message: 'Only renters can do this' },
  '404': { code: 'NOT_FOUND', message: 'Not found' },
  '409': { code: 'CONFLICT', message: 'This Idempotency-Key was used with other parameters' },
  '413': { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than 1 MB' },
  '415': { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the body as application/json' },
  '429': { code: 'TOO_MANY_REQUESTS', message: 'Too many requests; try again in 30 seconds' },
  '500': { code: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong on our side (request 3f0c…)' },
  '503': { code: 'SERVICE_UNAVAILABLE', message: 'DirectPay is temporarily unavailable; try again shortly' },
};

/** An example error body for one HTTP status, carrying that status's own code (not the generator's default). */
function errorExample(status: string): Json | undefined {
  const known = ERROR_CODES[status];
  if (!known) return undefined;
  return {
    code: known.code,
    message: known.message,
    data: {
      code: known.code,
      httpStatus: Number(status),
      ...(status === '400' ? { fieldErrors: { rail: ['must be one of RTP, WIRE, SAME_DAY_ACH, STANDARD_ACH'] } } : {}),
      requestId: '3f0c…',
    },
  };
}

/**
 * Every error response described by the one error body, with an example carrying its own status's
 * code (replacing trpc-to-openapi's defaults); 401 naming expired tokens, 403 on POST naming READ
 * tokens; 429 and 503 with Retry-After.
 */
function describeErrors(document: Json): Json {
  const components = (document.components ?? {}) as { schemas?: Record<string, unknown> };
  const schemas = Object.fromEntries(Object.entries(components.schemas ?? {}).filter(([name]) => !name.startsWith('error.')));
  const paths = document.paths as Record<string, Record<string, { responses: Record<string, Json> }>>;
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const responses: Record<string, Json> = { ...operation.responses };
      responses['401'] = { description: 'No token, or one that is invalid, revoked or expired' };
      if (method === 'post') {
        responses['403'] = { description: 'The wrong role, or a token of scope READ (GET operations only)' };
        responses['404'] ??= { description: 'Not found, or not yours' };
        responses['409'] ??= { description: 'The record’s state forbids it, or an Idempotency-Key reused with other parameters' };
        if (path.startsWith('/payments')) responses['429'] = { description: 'Too many requests' };
      }
      responses['503'] = { description: 'Temporarily unavailable' };
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) < 400) continue;
        const example = errorExample(status);
        responses[status] = {
          description: response.description,
          ...(status === '429' || status === '503' ? { headers: retryAfter } : {}),
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' }, ...(example ? { example } : {}) } },
        };
      }
      operation.responses = responses;
    }
  }
  return { ...document, components: { ...components, schemas: { ...schemas, Error: errorSchema } } };
}

let cached: { json: string } | undefined;

/** The document as JSON text, built once per process (the routers do not change while it runs). */
export function openApiDocumentJson(): string {
  cached ??= { json: JSON.stringify(openApiDocument()) };
  return cached.json;
}

/** The OpenAPI 3.1 document (see the module header). */
export function openApiDocument(): Json {
  const document = generateOpenApiDocument(appRouter, {
    title: 'DirectPay API',
    version: '1.0.0',
    openApiVersion: '3.1.0',
    description: description(),
    baseUrl: REST_BASE_PATH,
    tags: ['Account', 'Bank accounts', 'Leases', 'Payments'],
    securitySchemes: {
      Authorization: { type: 'http', scheme: 'bearer', description: 'A personal API token from Settings → API tokens (dp_…)' },
    },
  }) as unknown as Json;
  return describeErrors(document);
}
