'use client';
// The landlord's properties, newest first, with how many leases each has and how many run.
import Link from 'next/link';
import type { ReactNode } from 'react';
import { useTRPC, useTRPCClient } from '@/components/trpc/react';
import { useCursorPages } from '@/components/trpc/use-cursor-pages';
import { messageOf } from '@/components/forms';
import { addressText } from '@/components/leases/lease-format';
import { LoadMore } from '@/components/ui/load-more';
import { EmptyState, ErrorState, LoadingRows } from '@/components/ui/states';
import { Table, TBody, Td, Th, THead } from '@/components/ui/table';

export function PropertyList({ limit = 20, emptyAction }: { limit?: number; emptyAction?: ReactNode }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const properties = useCursorPages(trpc.property.list.infiniteQueryKey({ limit }), (cursor) => client.property.list.query({ limit, cursor }));

  if (properties.isPending) return <LoadingRows label="Loading properties" />;
  if (properties.isError) return <ErrorState message={messageOf(properties.error)} onRetry={() => void properties.refetch()} />;
  if (properties.items.length === 0) {
    return <EmptyState title="No properties yet" description="Add a property, then invite a renter to a lease on it." action={emptyAction} />;
  }
  return (
    <div className="space-y-3">
      <Table aria-label="Properties">
        <THead>
          <tr>
            <Th>Property</Th>
            <Th>Address</Th>
            <Th className="text-right">Leases</Th>
            <Th className="text-right">Active</Th>
          </tr>
        </THead>
        <TBody>
          {properties.items.map((property) => (
            <tr key={property.id} className="hover:bg-slate-50" data-testid="property-row">
              <Td label="Property" wrap className="min-w-[12rem]">
                <Link href={`/landlord/properties/${property.id}`} className="font-medium text-brand-700 hover:underline">
                  {property.name}
                </Link>
              </Td>
              <Td label="Address">{addressText(property)}</Td>
              <Td label="Leases" className="text-right tabular-nums">{property.leaseCount}</Td>
              <Td label="Active" className="text-right tabular-nums">{property.activeLeaseCount}</Td>
            </tr>
          ))}
        </TBody>
      </Table>
      <LoadMore pages={properties} />
    </div>
  );
}
