// webhook.*: endpoints and their secrets, access, the deliveries domain transitions write
// (payload = the payment or lease as that owner reads it from the API), and SSRF refusal.
import { afterEach, describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { resetEnvForTests } from '@/server/env';
import { apiAs, codeOf, createUser, errorOf } from '@/server/testing/api';
import { payingRenter } from '@/server/testing/payments';
import { isPrivateAddress } from '@/server/webhooks/targets';
import { attemptDelivery } from '@/server/webhooks/delivery';

afterEach(() => {
  delete process.env.WEBHOOK_ALLOW_PRIVATE_TARGETS;
  resetEnvForTests();
});

describe('webhook endpoints', () => {
  it('create returns the secret once; list, update, rotateSecret and delete manage the caller’s endpoints', async () => {
    const api = await apiAs(await createUser('LANDLORD'));
    const created = await api.webhook.create.mutate({ url: 'http://127.0.0.1:9/hooks', events: ['payment.completed', 'payment.completed', 'lease.accepted'] });
    expect(created).toMatchObject({ url: 'http://127.0.0.1:9/hooks', events: ['payment.completed', 'lease.accepted'], disabledAt: null, secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{32}$/) });
    const [listed] = await api.webhook.list.query();
    expect(listed).toEqual(expect.objectContaining({ id: created.id }));
    expect(listed).not.toHaveProperty('secret');

    const rotated = await api.webhook.rotateSecret.mutate({ id: created.id });
    expect(rotated.secret).not.toBe(created.secret);
    expect(await api.webhook.update.mutate({ id: created.id, events: ['payment.failed'], enabled: false })).toMatchObject({ events: ['payment.failed'], disabledAt: expect.any(Date) });
    expect(await api.webhook.update.mutate({ id: created.id, enabled: true })).toMatchObject({ disabledAt: null, failingSince: null });
    const bad = await errorOf(api.webhook.create.mutate({ url: 'ftp://example.com', events: ['nope' as never] }));
    expect(bad.data?.code).toBe('BAD_REQUEST');
    expect(Object.keys(bad.data?.fieldErrors ?? {}).sort()).toEqual(['events', 'url']);
    await api.webhook.delete.mutate({ id: created.id });
    expect(await api.webhook.list.query()).toEqual([]);
  });

  it('another user’s endpoint or delivery is NOT_FOUND for every procedure', async () => {
    const owner = await apiAs(await createUser('LANDLORD'));
    const endpoint = await owner.webhook.create.mutate({ url: 'http://127.0.0.1:9/hooks', events: ['payment.created'] });
    const test = await owner.webhook.sendTest.mutate({ endpointId: endpoint.id });
    await db.webhookDelivery.update({ where: { id: test.id }, data: { status: 'FAILED' } });
    const other = await apiAs(await createUser('RENTER'));
    const calls = [
      other.webhook.update.mutate({ id: endpoint.id, events: ['payment.failed'] }),
      other.webhook.rotateSecret.mutate({ id: endpoint.id }),
      other.webhook.delete.mutate({ id: endpoint.id }),
      other.webhook.deliveries.query({ endpointId: endpoint.id }),
      other.webhook.sendTest.mutate({ endpointId: endpoint.id }),
      other.webhook.redeliver.mutate({ deliveryId: test.id }),
    ];
    expect(await Promise.all(calls.map(codeOf))).toEqual(Array(6).fill('NOT_FOUND'));
    expect(await other.webhook.list.query()).toEqual([]);
    expect(await codeOf((await apiAs(null)).webhook.list.query())).toBe('UNAUTHORIZED');
    // Redelivery is the owner's: the same message again.
    expect(await owner.webhook.redeliver.mutate({ deliveryId: test.id })).toMatchObject({ status: 'PENDING', messageId: test.messageId });
    expect(await codeOf(owner.webhook.redeliver.mutate({ deliveryId: test.id }))).toBe('CONFLICT');
  });
});

describe('deliveries written by domain transitions', () => {
  it('a payment writes payment.created for each party’s subscribed endpoint, with the payment as that party reads it', async () => {
    const setup = await payingRenter();
    const landlordHook = await setup.landlordApi.webhook.create.mutate({ url: 'http://127.0.0.1:9/landlord', events: ['payment.created', 'payment.completed'] });
    const renterHook = await setup.renterApi.webhook.create.mutate({ url: 'http://127.0.0.1:9/renter', events: ['payment.created'] });
    const uninterested = await setup.landlordApi.webhook.create.mutate({ url: 'http://127.0.0.1:9/other', events: ['lease.completed'] });
    const disabled = await setup.landlordApi.webhook.create.mutate({ url: 'http://127.0.0.1:9/off', events: ['payment.created'] });
    await setup.landlordApi.webhook.update.mutate({ id: disabled.id, enabled: false });

    const payment = await setup.renterApi.payment.create.mutate({ installmentId: setup.lease.installments[0]!.id, fromAccountId: setup.from.id, rail: 'RTP' });

    const deliveries = await db.webhookDelivery.findMany({ where: { endpointId: { in: [landlordHook.id, renterHook.id, uninterested.id, disabled.id] } } });
    expect(deliveries.map((d) => [d.endpointId, d.eventType, d.status]).sort()).toEqual(
      [
        [landlordHook.id, 'payment.created', 'PENDING'],
        [renterHook.id, 'payment.created', 'PENDING'],
      ].sort(),
    );
    const asJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
    const landlordView = await setup.landlordApi.payment.byId.query({ id: payment.id });
    const landlordPayload = deliveries.find((d) => d.endpointId === landlordHook.id)!.payload as { type: string; timestamp: string; data: unknown };
    expect(landlordPayload).toEqual({ type: 'payment.created', timestamp: expect.any(String), data: asJson(landlordView) });
    const renterPayload = deliveries.find((d) => d.endpointId === renterHook.id)!.payload as { data: unknown };
    expect(renterPayload.data).toEqual(asJson(payment));
    expect(new Set(deliveries.map((d) => d.messageId)).size).toBe(2);
  });

  it('lease.accepted goes to the landlord with the lease as the API returns it', async () => {
    const landlordUser = await createUser('LANDLORD');
    const landlord = await apiAs(landlordUser);
    const hook = await landlord.webhook.create.mutate({ url: 'http://127.0.0.1:9/leases', events: ['lease.accepted'] });
    const renterUser = await createUser('RENTER');
    const { offerLease } = await import('@/server/testing/leasing');
    const { lease } = await offerLease(landlord, renterUser.email);
    expect(await db.webhookDelivery.count({ where: { endpointId: hook.id } })).toBe(0);
    await (await apiAs(renterUser)).lease.accept.mutate({ id: lease.id });
    const [delivery] = await db.webhookDelivery.findMany({ where: { endpointId: hook.id } });
    expect(delivery).toMatchObject({ eventType: 'lease.accepted', payload: { type: 'lease.accepted', data: JSON.parse(JSON.stringify(await landlord.lease.byId.query({ id: lease.id }))) } });
  });
});

describe('SSRF: private targets in production', () => {
  it('classifies loopback, private, link-local, CGNAT, mapped and reserved addresses as private, public ones not', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::7f00:1', '::ffff:0:7f00:1', '64:ff9b:1::a00:1', '2002:7f00:1::1', '224.0.0.1']) {
      expect([address, isPrivateAddress(address)]).toEqual([address, true]);
    }
    for (const address of ['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '172.32.0.1']) expect([address, isPrivateAddress(address)]).toEqual([address, false]);
  });

  it('refuses such URLs at creation, also by name after DNS resolution, unless WEBHOOK_ALLOW_PRIVATE_TARGETS=true', async () => {
    process.env.WEBHOOK_ALLOW_PRIVATE_TARGETS = 'false';
    resetEnvForTests();
    const api = await apiAs(await createUser('LANDLORD'));
    for (const url of ['http://127.0.0.1:8080/x', 'http://localhost/x', 'http://[::1]/x', 'http://[::ffff:127.0.0.1]/x', 'http://169.254.169.254/latest/meta-data', 'http://10.0.0.5/x']) {
      const error = await errorOf(api.webhook.create.mutate({ url, events: ['payment.created'] }));
      expect([url, error.data?.code, error.data?.fieldErrors?.url?.[0]]).toEqual([url, 'BAD_REQUEST', expect.stringMatching(/^refused: /)]);
      // Nothing about which address the name has, or whether it resolved at all.
      expect(error.message).not.toMatch(/\(\d|\(::|does not resolve/);
    }
    const unknown = await errorOf(api.webhook.create.mutate({ url: 'http://no-such-host.invalid/x', events: ['payment.created'] }));
    expect(unknown.message).toBe((await errorOf(api.webhook.create.mutate({ url: 'http://localhost/x', events: ['payment.created'] }))).message);
    expect(await api.webhook.create.mutate({ url: 'https://93.184.215.14/hooks', events: ['payment.created'] })).toMatchObject({ url: 'https://93.184.215.14/hooks' });
    process.env.WEBHOOK_ALLOW_PRIVATE_TARGETS = 'true';
    resetEnvForTests();
    expect(await api.webhook.create.mutate({ url: 'http://127.0.0.1:8080/x', events: ['payment.created'] })).toMatchObject({ url: 'http://127.0.0.1:8080/x' });
  });

  it('refuses at delivery time too: an endpoint made while allowed is never called once refused', async () => {
    const api = await apiAs(await createUser('LANDLORD'));
    const endpoint = await api.webhook.create.mutate({ url: 'http://localhost:9/x', events: ['payment.created'] });
    const delivery = await api.webhook.sendTest.mutate({ endpointId: endpoint.id });
    process.env.WEBHOOK_ALLOW_PRIVATE_TARGETS = 'false';
    resetEnvForTests();
    expect(await attemptDelivery(db, delivery.id, 0)).toMatchObject({ status: 'PENDING', statusCode: null, error: expect.stringMatching(/not a public internet address/) });
    const [attempt] = (await api.webhook.deliveries.query({ endpointId: endpoint.id })).items[0]!.attempts;
    expect(attempt).toMatchObject({ number: 1, statusCode: null, error: expect.stringMatching(/^the host is not a public internet address/) });
  });
});
