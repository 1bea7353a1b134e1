import type { Metadata } from 'next';
import { PropertyList } from '@/components/properties/property-list';
import { ButtonLink } from '@/components/ui/button';
import { Card, CardBody, PageHeader } from '@/components/ui/card';

export const metadata: Metadata = { title: 'Properties' };

export default function PropertiesPage() {
  return (
    <>
      <PageHeader title="Properties" description="Each property with its leases." actions={<ButtonLink href="/landlord/properties/new">Add property</ButtonLink>} />
      <Card>
        <CardBody>
          <PropertyList emptyAction={<ButtonLink href="/landlord/properties/new">Add property</ButtonLink>} />
        </CardBody>
      </Card>
    </>
  );
}
