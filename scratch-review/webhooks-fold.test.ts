import { describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { payingRenter } from '@/server/testing/payments';
import { enqueueWebhooks } from '@/server/domain/webhooks';
import type { NewEvent } from '@/server/domain/events';

describe('enqueueWebhooks folded', () => {
  it('each endpoint gets only its parties’ subscribed events, none dropped', async () => {
    const a = await payingRenter();
    const b = await payingRenter();
    const epA = await a.landlordApi.webhook.create.mutate({ url: 'http://127.0.0.1:9/a', events: ['installment.overdue', 'payment.created'] });
    const epB = await b.renterApi.webhook.create.mutate({ url: 'http://127.0.0.1:9/b', events: ['installment.overdue'] });
    const epAR = await a.renterApi.webhook.create.mutate({ url: 'http://127.0.0.1:9/ar', events: ['lease.accepted'] });
    const actor = { id: a.landlord.id, role: 'LANDLORD' as const };
    const events: NewEvent[] = [
      { aggregateType: 'Installment', aggregateId: a.lease.installments[0]!.id, type: 'installment.overdue', actor, data: { leaseId: a.lease.id } },
      { aggregateType: 'Installment', aggregateId: b.lease.installments[0]!.id, type: 'installment.overdue', actor, data: { leaseId: b.lease.id } },
      { aggregateType: 'Installment', aggregateId: b.lease.installments[1]!.id, type: 'installment.overdue', actor, data: { leaseId: b.lease.id } },
      { aggregateType: 'Lease', aggregateId: a.lease.id, type: 'lease.accepted', actor, data: { landlordId: a.landlord.id, renterId: a.renter.id } },
      { aggregateType: 'Lease', aggregateId: b.lease.id, type: 'lease.accepted', actor, data: { landlordId: b.landlord.id, renterId: b.renter.id } },
    ];
    const n = await db.$transaction((tx) => enqueueWebhooks(tx, events));
    const rows = await db.webhookDelivery.findMany({ where: { endpointId: { in: [epA.id, epB.id, epAR.id] } }, select: { endpointId: true, eventType: true, payload: true } });
    const summary = rows.map((r) => [r.endpointId === epA.id ? 'A-landlord' : r.endpointId === epB.id ? 'B-renter' : 'A-renter', r.eventType, (r.payload as any).data?.id]);
    console.log(n, JSON.stringify(summary));
    expect(n).toBe(4);
    expect(summary.filter((s) => s[0] === 'A-landlord')).toEqual([['A-landlord', 'installment.overdue', a.lease.id]]);
    expect(summary.filter((s) => s[0] === 'B-renter')).toEqual([['B-renter', 'installment.overdue', b.lease.id], ['B-renter', 'installment.overdue', b.lease.id]]);
    expect(summary.filter((s) => s[0] === 'A-renter')).toEqual([['A-renter', 'lease.accepted', a.lease.id]]);
  });
});
