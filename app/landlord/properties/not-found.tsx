import { RecordNotFound } from '@/components/ui/segment-states';

// A property that does not exist or is not the caller's: HTTP 404 ([id]/layout.tsx), a heading that says so and the way back.
export default function NotFound() {
  return <RecordNotFound title="Property not found" back={{ href: '/landlord/properties', label: '← All properties' }} />;
}
