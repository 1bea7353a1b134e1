// Webhook delivery on the local engine against a real receiver (node http on 127.0.0.1):
// signatures checked with standardwebhooks' own verifier, retries with backoff, deduplication
// by webhook-id, and an endpoint disabled after 3 days of failures.
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { resetEnvForTests } from '@/server/env';
import { apiAs, createUser } from '@/server/testing/api';
import { startInngestForTests, waitFor, type InngestTestHarness } from '@/inngest/engine/testing';
import { inngest } from '@/inngest/client';
import { dispatchOutboxFunction } from '@/inngest/functions/dispatch-outbox';
import { deliverWebhookFunction } from '@/inngest/functions/deliver-webhook';
import { ATTEMPT_DELAYS_MS, attemptDelivery, attemptErrorText } from './delivery';

// The real schedule at 1/100: attempts at 0, +50 ms, +3 s, +18 s, … (Inngest rounds durable
// waits under a second up to one second, so the second wait is 1 s).
process.env.WEBHOOK_BACKOFF_SCALE = '0.01';
resetEnvForTests();

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A receiver that answers `statuses` in turn (then 200), verifies, and processes each webhook-id once. */
async function startReceiver(secret: () => string, statuses: number[] = []) {
  const received: Received[] = [];
  const processed = new Map<string, unknown>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      received.push({ headers: req.headers, body, at: Date.now() });
      const status = statuses.shift() ?? 200;
      if (status === 200) {
        // What the README tells receivers to do: verify, then dedupe by webhook-id.
        const payload = new Webhook(secret()).verify(body, req.headers as Record<string, string>);
        const id = req.headers['webhook-id'] as string;
        if (!processed.has(id)) processed.set(id, payload);
      }
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    processed,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let harness: InngestTestHarness;
beforeAll(async () => {
  harness = await startInngestForTests({ client: inngest, functions: [dispatchOutboxFunction, deliverWebhookFunction] });
});
afterAll(async () => {
  await harness?.stop();
});

describe('deliver-webhook', () => {
  it('signs each attempt (verified by the library), retries with backoff after two failures, logs every attempt, and the receiver dedupes a redelivery', async () => {
    const api = await apiAs(await createUser('LANDLORD'));
    let secret = '';
    const receiver = await startReceiver(() => secret, [500, 503]);
    try {
      const endpoint = await api.webhook.create.mutate({ url: receiver.url, events: ['payment.created'] });
      secret = endpoint.secret;
      const test = await api.webhook.sendTest.mutate({ endpointId: endpoint.id });

      const delivered = await waitFor(async () => {
        const [row] = (await api.webhook.deliveries.query({ endpointId: endpoint.id })).items;
        return row?.status === 'DELIVERED' ? row : null;
      }, 'the delivery to succeed on its third attempt', 30_000);
      expect(delivered).toMatchObject({ attemptCount: 3, lastStatusCode: 200, messageId: test.messageId });
      expect(delivered.attempts.map((a) => [a.number, a.statusCode, a.error])).toEqual([
        [1, 500, 'HTTP 500'],
        [2, 503, 'HTTP 503'],
        [3, 200, null],
      ]);
      expect(delivered.attempts.every((a) => a.durationMs >= 0)).toBe(true);

      // Every attempt carries the same webhook-id and a valid signature; the waits grew (≥ 1 s, then 3 s).
      expect(receiver.received).toHaveLength(3);
      for (const attempt of receiver.received) {
        expect(attempt.headers['webhook-id']).toBe(test.messageId);
        expect(attempt.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
        expect(new Webhook(secret).verify(attempt.body, attempt.headers as Record<string, string>)).toMatchObject({ type: 'webhook.test', data: { endpointId: endpoint.id } });
      }
      const [first, second, third] = receiver.received.map((r) => r.at);
      expect(second! - first!).toBeGreaterThanOrEqual(900);
      expect(third! - second!).toBeGreaterThanOrEqual(ATTEMPT_DELAYS_MS[2] * 0.01 - 100);
      expect(third! - second!).toBeGreaterThan(second! - first!);
      // A tampered body or another secret fails the library's verification.
      expect(() => new Webhook(secret).verify(receiver.received[2]!.body.replace('test', 'tost'), receiver.received[2]!.headers as Record<string, string>)).toThrow();

      // Redelivery: same webhook-id, so the receiver processes it once.
      await api.webhook.redeliver.mutate({ deliveryId: test.id });
      await waitFor(async () => receiver.received.length === 4, 'the redelivery');
      expect(receiver.received[3]!.headers['webhook-id']).toBe(test.messageId);
      expect(receiver.processed.size).toBe(1);
    } finally {
      await receiver.close();
    }
  });

  it('disables an endpoint whose deliveries failed for 3 days and notifies its owner', async () => {
    const owner = await createUser('LANDLORD');
    const api = await apiAs(owner);
    const receiver = await startReceiver(() => '', [500]);
    try {
      const endpoint = await api.webhook.create.mutate({ url: receiver.url, events: ['payment.created'] });
      await db.webhookEndpoint.update({ where: { id: endpoint.id }, data: { failingSince: new Date(Date.now() - 3 * 24 * 3_600_000 - 60_000) } });
      const delivery = await db.webhookDelivery.create({ data: { endpointId: endpoint.id, messageId: 'msg_disable_test', eventType: 'webhook.test', payload: { type: 'webhook.test' } } });

      expect(await attemptDelivery(db, delivery.id, 3)).toMatchObject({ status: 'PENDING', statusCode: 500 });
      const [disabled] = await api.webhook.list.query();
      expect(disabled).toMatchObject({ disabledAt: expect.any(Date), disabledReason: expect.stringMatching(/failed for 3 days/) });
      expect(await db.notification.findFirst({ where: { userId: owner.id, type: 'webhook.disabled' } })).toMatchObject({ link: '/settings#webhooks' });
      expect(await db.emailMessage.count({ where: { userId: owner.id, kind: 'webhook.disabled' } })).toBe(1);
      // Nothing more is attempted for a disabled endpoint.
      expect(await attemptDelivery(db, delivery.id, 4)).toMatchObject({ status: 'GONE' });
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('says in words why an attempt got no answer: a closed port, a reset, plain http where https was asked, an unknown host', async () => {
    const owner = await createUser('LANDLORD');
    const attemptTo = async (url: string) => {
      const endpoint = await db.webhookEndpoint.create({ data: { userId: owner.id, url, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', events: ['payment.created'] } });
      const delivery = await db.webhookDelivery.create({ data: { endpointId: endpoint.id, messageId: `msg_${endpoint.id}`, eventType: 'webhook.test', payload: { type: 'webhook.test' } } });
      return attemptDelivery(db, delivery.id, 0);
    };
    // A port nothing listens on: take one, then close it.
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await attemptTo(`http://127.0.0.1:${closedPort}/hooks`)).toMatchObject({ status: 'PENDING', statusCode: null, error: `127.0.0.1:${closedPort} refused the connection (ECONNREFUSED)` });

    // A server that hangs up on every connection, and one that speaks plain HTTP to an https URL.
    const rude = net.createServer((socket) => socket.destroy());
    const plain = http.createServer((_req, res) => res.end('plain'));
    await Promise.all([rude, plain].map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))));
    try {
      const rudePort = (rude.address() as AddressInfo).port;
      const plainPort = (plain.address() as AddressInfo).port;
      expect((await attemptTo(`http://127.0.0.1:${rudePort}/hooks`)).error).toBe(`127.0.0.1:${rudePort} closed the connection without an answer (ECONNRESET)`);
      expect((await attemptTo(`https://127.0.0.1:${plainPort}/hooks`)).error).toBe(`127.0.0.1:${plainPort} did not answer in TLS; is it serving https on that port? (EPROTO)`);
    } finally {
      await Promise.all([rude, plain].map((server) => new Promise((resolve) => server.close(resolve))));
    }

    // The words for what a test machine cannot provoke reliably (DNS, certificates, timeouts), from Node's own error shapes.
    const url = new URL('https://hooks.example.com:8443/in');
    const nodeError = (message: string, code: string) => Object.assign(new Error(message), { code });
    expect(attemptErrorText(nodeError('getaddrinfo ENOTFOUND hooks.example.com', 'ENOTFOUND'), url)).toBe('no such host: hooks.example.com (ENOTFOUND)');
    expect(attemptErrorText(nodeError('certificate has expired', 'CERT_HAS_EXPIRED'), url)).toBe("hooks.example.com:8443's TLS certificate was not accepted: certificate has expired (CERT_HAS_EXPIRED)");
    expect(attemptErrorText(nodeError('timeout', 'DP_ATTEMPT_TIMEOUT'), url)).toBe('no answer from hooks.example.com:8443 within 15 s');
    // A server that speaks TLS and refuses the handshake is told apart from one that does not speak TLS (found by a tester: both read the same).
    expect(attemptErrorText(nodeError('C0B7D3F7:error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:918:SSL alert number 40', 'EPROTO'), url)).toBe(
      'hooks.example.com:8443 refused the TLS handshake (its alert: handshake failure) (EPROTO)',
    );
    expect(attemptErrorText(nodeError('C0B7D3F7:error:0A00042E:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:918:SSL alert number 70', 'EPROTO'), url)).toBe(
      'hooks.example.com:8443 refused the TLS handshake (its alert: protocol version) (EPROTO)',
    );
    expect(attemptErrorText(nodeError('something odd', 'EPROTO'), url)).toBe('the TLS handshake with hooks.example.com:8443 failed (EPROTO)');
    expect(attemptErrorText(nodeError('something new', 'EWHATEVER'), url)).toBe('something new (EWHATEVER)');
    expect(attemptErrorText(new Error('no code at all'), url)).toBe('no code at all');
  });
});
