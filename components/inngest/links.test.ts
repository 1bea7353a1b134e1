import { describe, expect, it } from 'vitest';
import { relatedLinks } from './links';

describe('relatedLinks', () => {
  it('leads from a run to the runs about its payment and lease, also through a function.failed event', () => {
    const paymentId = '2ea05985-0000-4000-8000-000000000001';
    const leaseId = '7b1c0000-0000-4000-8000-000000000002';
    expect(relatedLinks({ paymentId })).toEqual([{ href: `/dev/inngest?concerns=${paymentId}`, label: 'Payment 2ea05985' }]);
    expect(relatedLinks({ function_id: 'x', event: { data: { paymentId, leaseId } } })).toEqual([
      { href: `/dev/inngest?concerns=${paymentId}`, label: 'Payment 2ea05985' },
      { href: `/dev/inngest?concerns=${leaseId}`, label: 'Lease 7b1c0000' },
    ]);
    expect(relatedLinks({ paymentId, event: { data: { paymentId } } })).toHaveLength(1);
    expect(relatedLinks(null)).toEqual([]);
  });
});
