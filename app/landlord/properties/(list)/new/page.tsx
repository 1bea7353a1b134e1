import type { Metadata } from 'next';
import Link from 'next/link';
import { CreatePropertyForm } from '@/components/properties/create-property-form';
import { Card, CardBody, PageHeader } from '@/components/ui/card';

export const metadata: Metadata = { title: 'Add a property' };

export default function NewPropertyPage() {
  return (
    <div className="mx-auto max-w-2xl">
      <Link href="/landlord/properties" className="mb-2 inline-block text-sm font-medium text-brand-700 hover:underline">
        ← All properties
      </Link>
      <PageHeader title="Add a property" description="A US address. You can offer leases on it once it is added." />
      <Card>
        <CardBody>
          <CreatePropertyForm />
        </CardBody>
      </Card>
    </div>
  );
}
