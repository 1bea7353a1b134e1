import { RecordNotFound } from '@/components/ui/segment-states';

// A lease that does not exist or is not the caller's: HTTP 404 ([id]/layout.tsx), a heading that says so and the way back.
export default function NotFound() {
  return <RecordNotFound title="Lease not found" back={{ href: '/landlord/leases', label: '← All leases' }} />;
}
