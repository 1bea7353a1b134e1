// One HTTP attempt of a webhook delivery, as the `deliver-webhook` Inngest function makes it:
// a POST of the stored payload signed with the endpoint's current secret (Standard Webhooks:
// webhook-id, webhook-timestamp, webhook-signature "v1,<base64 HMAC-SHA256>"), a 2xx within
// ATTEMPT_TIMEOUT_MS counts as delivered; everything else is logged as a failed attempt.
// An endpoint failing for ENDPOINT_DISABLE_AFTER_MS is disabled and its owner notified.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { Db } from '@/server/db';
import { env, webhookPrivateTargetsAllowed } from '@/server/env';
import { notify } from '@/server/domain/notifications';
import { isPrivateAddress, publicOnlyLookup, RefusedTargetError } from './targets';

/**
 * Wait before each attempt (the first goes at once): Standard Webhooks' reference schedule,
 * 8 attempts over about 27.6 hours — now, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h — each
 * multiplied by WEBHOOK_BACKOFF_SCALE.
 */
export const ATTEMPT_DELAYS_MS = [0, 5_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, 10 * 3_600_000, 10 * 3_600_000] as const;

export const scaledDelayMs = (index: number) => Math.round(ATTEMPT_DELAYS_MS[index]! * env.WEBHOOK_BACKOFF_SCALE);

/** Three days of nothing but failures disable an endpoint. */
export const ENDPOINT_DISABLE_AFTER_MS = 3 * 24 * 3_600_000;
export const ATTEMPT_TIMEOUT_MS = 15_000;
/** Receivers' answers are read up to this many bytes (only the status code matters). */
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface AttemptResult {
  /** DELIVERED, FAILED (last attempt failed), PENDING (another attempt follows), or GONE (deleted/disabled: stop). */
  status: 'DELIVERED' | 'FAILED' | 'PENDING' | 'GONE';
  statusCode: number | null;
  error: string | null;
}

interface HttpAnswer {
  statusCode: number | null;
  error: string | null;
}

const ATTEMPT_TIMED_OUT = 'DP_ATTEMPT_TIMEOUT';

/**
 * Node reports every TLS failure as EPROTO with OpenSSL's words in the message: a server that
 * answers in plain HTTP ("wrong version number", "packet length too long") and one that speaks
 * TLS but refuses the handshake with an alert ("sslv3 alert handshake failure": it wants a client
 * certificate or other ciphers; "tlsv1 alert protocol version") need different fixes.
 */
function tlsFailureText(message: string, host: string): string {
  if (/wrong version number|packet length too long|http request/i.test(message)) return `${host} did not answer in TLS; is it serving https on that port? (EPROTO)`;
  const alert = /alert ([a-z ]+?)(?::|$)/i.exec(message)?.[1];
  if (alert) return `${host} refused the TLS handshake (its alert: ${alert}) (EPROTO)`;
  return `the TLS handshake with ${host} failed (EPROTO)`;
}

/**
 * Why an attempt got no HTTP answer, in words for the endpoint's owner (the deliveries list, the
 * notice when an endpoint is disabled), with Node's error code for whoever debugs the receiver:
 * "example.com:8443 refused the connection (ECONNREFUSED)". Codes not named here keep Node's
 * own message.
 */
export function attemptErrorText(error: NodeJS.ErrnoException, url: URL): string {
  if (error instanceof RefusedTargetError) return error.message;
  const { host, hostname } = url;
  const code = error.code ?? '';
  switch (code) {
    case ATTEMPT_TIMED_OUT:
      return `no answer from ${host} within ${ATTEMPT_TIMEOUT_MS / 1000} s`;
    case 'ECONNREFUSED':
      return `${host} refused the connection (ECONNREFUSED)`;
    case 'ENOTFOUND':
      return `no such host: ${hostname} (ENOTFOUND)`;
    case 'EAI_AGAIN':
      return `the name ${hostname} could not be looked up just now (EAI_AGAIN)`;
    case 'ECONNRESET':
      return `${host} closed the connection without an answer (ECONNRESET)`;
    case 'ETIMEDOUT':
      return `the connection to ${host} timed out (ETIMEDOUT)`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${host} cannot be reached from here (${code})`;
    case 'EPROTO':
      return tlsFailureText(error.message, host);
  }
  // Node's certificate checks: CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT, ERR_TLS_CERT_ALTNAME_INVALID, …
  if (/CERT|TLS|SIGNATURE|ISSUER/.test(code)) return `${host}'s TLS certificate was not accepted: ${error.message} (${code})`;
  return !code || error.message.includes(code) ? error.message : `${error.message} (${code})`;
}

function post(url: URL, body: string, headers: Record<string, string>): Promise<HttpAnswer> {
  const allowPrivate = webhookPrivateTargetsAllowed();
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // An IP literal never goes through `lookup`, so it is checked here.
  if (!allowPrivate && net.isIP(host) && isPrivateAddress(host)) return Promise.resolve({ statusCode: null, error: `refused: ${host} is a private, loopback or reserved address` });
  const request = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'DirectPay-Webhooks/1', 'content-length': Buffer.byteLength(body).toString(), ...headers },
        timeout: ATTEMPT_TIMEOUT_MS,
        ...(allowPrivate ? {} : { lookup: publicOnlyLookup }),
      },
      (res) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) res.destroy();
        });
        res.on('close', () => resolve({ statusCode: res.statusCode ?? null, error: null }));
        res.on('error', () => resolve({ statusCode: res.statusCode ?? null, error: null }));
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: ATTEMPT_TIMED_OUT })));
    req.on('error', (error) => resolve({ statusCode: null, error: attemptErrorText(error, url).slice(0, 500) }));
    req.end(body);
  });
}

/**
 * Makes attempt `index` (0-based) of a delivery and records it. Redirects are not followed
 * (a 3xx is a failure), so a receiver cannot bounce a delivery to a private address.
 */
export async function attemptDelivery(db: Db, deliveryId: string, index: number): Promise<AttemptResult> {
  const delivery = await db.webhookDelivery.findUnique({
    where: { id: deliveryId },
    select: { id: true, status: true, messageId: true, payload: true, endpoint: { select: { id: true, userId: true, url: true, secret: true, disabledAt: true, failingSince: true } } },
  });
  if (!delivery || delivery.endpoint.disabledAt) return { status: 'GONE', statusCode: null, error: null };
  if (delivery.status !== 'PENDING') return { status: delivery.status, statusCode: null, error: null };

  const body = JSON.stringify(delivery.payload);
  const timestamp = new Date();
  const signature = new Webhook(delivery.endpoint.secret).sign(delivery.messageId, timestamp, body);
  const started = performance.now();
  const answer = await post(new URL(delivery.endpoint.url), body, {
    'webhook-id': delivery.messageId,
    'webhook-timestamp': Math.floor(timestamp.getTime() / 1000).toString(),
    'webhook-signature': signature,
  });
  const durationMs = Math.round(performance.now() - started);
  const ok = answer.statusCode !== null && answer.statusCode >= 200 && answer.statusCode < 300;
  const error = ok ? null : (answer.error ?? `HTTP ${answer.statusCode}`);
  const last = index >= ATTEMPT_DELAYS_MS.length - 1;
  const now = new Date();
  const status = ok ? 'DELIVERED' : last ? 'FAILED' : 'PENDING';

  await db.$transaction(async (tx) => {
    const [counted] = await tx.$queryRaw<{ attemptCount: number }[]>`
      UPDATE "WebhookDelivery" SET "attemptCount" = "attemptCount" + 1, "lastStatusCode" = ${answer.statusCode}, status = ${status}::"WebhookDeliveryStatus",
        "deliveredAt" = ${ok ? now : null}, "nextAttemptAt" = ${status === 'PENDING' ? new Date(now.getTime() + scaledDelayMs(index + 1)) : null}, "updatedAt" = ${now}
      WHERE id = ${delivery.id}::uuid RETURNING "attemptCount"`;
    await tx.webhookAttempt.create({ data: { deliveryId: delivery.id, number: counted!.attemptCount, statusCode: answer.statusCode, durationMs, error } });
    if (ok) {
      await tx.webhookEndpoint.updateMany({ where: { id: delivery.endpoint.id, failingSince: { not: null } }, data: { failingSince: null } });
      return;
    }
    await tx.webhookEndpoint.updateMany({ where: { id: delivery.endpoint.id, failingSince: null }, data: { failingSince: now } });
    const failingSince = delivery.endpoint.failingSince ?? now;
    if (now.getTime() - failingSince.getTime() >= ENDPOINT_DISABLE_AFTER_MS) {
      const { count } = await tx.webhookEndpoint.updateMany({
        where: { id: delivery.endpoint.id, disabledAt: null },
        data: { disabledAt: now, disabledReason: `every delivery failed for 3 days (last: ${error})`.slice(0, 500) },
      });
      if (count) {
        await notify(tx, [
          {
            userId: delivery.endpoint.userId,
            type: 'webhook.disabled',
            title: 'A webhook endpoint was disabled',
            body: `Deliveries to ${delivery.endpoint.url.slice(0, 300)} failed for 3 days (last: ${error}), so it receives no more events until you turn it back on.`.slice(0, 1000),
            link: '/settings#webhooks',
          },
        ]);
      }
    }
  });
  return { status, statusCode: answer.statusCode, error };
}
