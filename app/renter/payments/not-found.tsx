import { RecordNotFound } from '@/components/ui/segment-states';

// A payment that does not exist or is not the caller's: HTTP 404 ([id]/layout.tsx), a heading that says so and the way back.
export default function NotFound() {
  return <RecordNotFound title="Payment not found" back={{ href: '/renter/payments', label: '← All payments' }} />;
}
