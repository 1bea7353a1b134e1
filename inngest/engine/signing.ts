// Request signing between the engine and the app, exactly as Inngest does it (the SDK's
// `helpers/net.js` and `helpers/strings.js`; INNGEST_PROTOCOL.md, "Signatures"):
//
// - every request the engine makes to the app carries
//   `X-Inngest-Signature: t=<unix seconds>&s=<hex HMAC-SHA256>` over the RFC 8785 canonical
//   JSON of the body (empty body: "") followed by t. The HMAC key is the signing key without
//   its `signkey-<env>-` prefix, used as text (not hex-decoded). The SDK re-canonicalizes what
//   it parses, so the engine sends the canonical bytes it signed;
// - the SDK's calls to the engine's API carry `Authorization: Bearer signkey-<env>-<sha256 of
//   the hex-decoded key>`;
// - events are sent to `/e/<event key>`.
// The timestamp is the real clock, never the engine's (tests shift that one by hours, and the
// SDK refuses signatures more than 5 minutes off).
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import canonicalize from 'canonicalize';

const PREFIX = /^signkey-\w+-/;

/** What a signing key looks like: `signkey-<env>-<hex>` (the SDK hex-decodes the part after the prefix). */
export const SIGNING_KEY_PATTERN = /^signkey-\w+-(?:[0-9a-f]{2})+$/;

export interface EngineKeys {
  /** `signkey-<env>-<hex>`: signs the engine's calls to the app, checks the SDK's API calls. */
  signingKey: string;
  /** The key the SDK sends events with (`POST /e/<event key>`); any other is refused. */
  eventKey: string;
}

/** A new random key pair in Inngest's formats (`signkey-<env>-<64 hex>`, 64 hex characters). */
export function generateEngineKeys(env = 'local'): EngineKeys {
  return { signingKey: `signkey-${env}-${randomBytes(32).toString('hex')}`, eventKey: randomBytes(32).toString('hex') };
}

/** The canonical text the signature covers and the engine sends: JCS of `body`, or "" for none. */
export function canonicalBody(body: unknown): string {
  if (body === undefined || body === '') return '';
  return canonicalize(body) ?? '';
}

/** `t=<unix s>&s=<hex HMAC-SHA256(key without prefix, text + t)>` for a body already in canonical text. */
export function signatureHeader(text: string, signingKey: string, nowMs = Date.now()): string {
  const t = Math.floor(nowMs / 1000).toString();
  const s = createHmac('sha256', signingKey.replace(PREFIX, '')).update(text + t).digest('hex');
  return `t=${t}&s=${s}`;
}

/** The bearer token the SDK sends to the engine's API: prefix + sha256 of the hex-decoded key. */
export function hashedSigningKey(signingKey: string): string {
  const prefix = PREFIX.exec(signingKey)?.[0] ?? '';
  return `${prefix}${createHash('sha256').update(Buffer.from(signingKey.replace(PREFIX, ''), 'hex')).digest('hex')}`;
}

/** Compares two secrets in constant time (for equal lengths). */
export function sameSecret(given: string | undefined | null, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether an `Authorization` header is the SDK's bearer token for `signingKey`. */
export function isAuthorizedSdkCall(authorization: string | undefined, signingKey: string): boolean {
  const match = /^Bearer (.+)$/.exec(authorization ?? '');
  return sameSecret(match?.[1], hashedSigningKey(signingKey));
}
