// The history of one aggregate (a lease, a payment, …) as its events tell it: what happened,
// who did it, when, and why. Generic over event types: each area adds its wording to
// EVENT_LABELS; an unknown type still reads sensibly.
import { formatDateTime } from '@/components/format';
import { StatusBadge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/states';

export interface TimelineEvent {
  id: string;
  sequence: number;
  type: string;
  actor: { id: string | null; role: string };
  reason: string | null;
  createdAt: Date | string;
  /** The aggregate after the event; its `status`, when it has one, is shown. */
  data?: Record<string, unknown>;
  hash?: string;
}

/** How people read each event type. */
export const EVENT_LABELS: Record<string, string> = {
  'lease.created': 'Lease offered',
  'lease.renterAttached': 'Invited renter signed up',
  'lease.accepted': 'Lease accepted',
  'lease.reopened': 'Lease reopened (a payment was returned)',
  'lease.cancelled': 'Lease cancelled',
  'lease.declined': 'Lease declined by the renter',
  'lease.payout_changed': 'Payout account changed',
  'lease.completed': 'Lease completed',
  'lease.defaulted': 'Lease defaulted',
  'installment.scheduled': 'Installment scheduled',
  'installment.paid': 'Installment paid',
  'installment.failed': 'Installment payment failed',
  'installment.due': 'Installment due again',
  'payment.created': 'Payment started',
  'payment.submitted': 'Submitted to the rail',
  'payment.completed': 'Payment settled',
  'payment.failed': 'Payment failed',
  'payment.cancelled': 'Payment cancelled',
  'payment.returned': 'Payment returned',
  'property.created': 'Property added',
  'property.updated': 'Property updated',
  'bankAccount.created': 'Bank account added',
  'bankAccount.primarySet': 'Made primary',
  'bankAccount.primaryRemoved': 'No longer primary',
  'bankAccount.deactivated': 'Bank account deactivated',
  'bankAccount.activated': 'Bank account activated',
};

/** 'lease.renterAttached' → 'Lease renter attached', for types without a label yet. */
export function eventLabel(type: string): string {
  const known = EVENT_LABELS[type];
  if (known) return known;
  const words = type.replace(/\./g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const ROLE_NAMES: Record<string, string> = { LANDLORD: 'landlord', RENTER: 'renter', SYSTEM: 'DirectPay' };

export function EventTimeline({
  events,
  actorName,
}: {
  events: TimelineEvent[];
  /** The person behind an actor id, when the page knows them (e.g. the lease's landlord and renter). */
  actorName?: (actorId: string) => string | undefined;
}) {
  if (events.length === 0) return <EmptyState title="No history yet" description="Nothing has happened yet." />;
  return (
    <ol className="relative space-y-5 border-l border-slate-200 pl-6" aria-label="History">
      {events.map((event) => {
        const status = typeof event.data?.status === 'string' ? event.data.status : null;
        const role = ROLE_NAMES[event.actor.role] ?? event.actor.role.toLowerCase();
        const name = event.actor.id ? actorName?.(event.actor.id) : undefined;
        const who = event.actor.role === 'SYSTEM' ? 'DirectPay (automatic)' : name ? `${name} (${role})` : `a ${role}`;
        return (
          <li key={event.id} className="relative" data-testid="timeline-event">
            <span aria-hidden className="absolute -left-[1.9rem] top-1 h-3 w-3 rounded-full border-2 border-white bg-brand-500 ring-1 ring-brand-200" />
            <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
              <span className="font-medium text-slate-900">{eventLabel(event.type)}</span>
              {status && <StatusBadge status={status} />}
            </div>
            <p className="mt-0.5 text-sm text-slate-600">
              by {who} · <time dateTime={new Date(event.createdAt).toISOString()}>{formatDateTime(event.createdAt)}</time>
            </p>
            {event.reason && <p className="mt-1 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700">“{event.reason}”</p>}
            <p className="mt-1 font-mono text-xs text-slate-600">
              #{event.sequence}
              {event.hash && <> · sha256 {event.hash.slice(0, 12)}…</>}
            </p>
          </li>
        );
      })}
    </ol>
  );
}
