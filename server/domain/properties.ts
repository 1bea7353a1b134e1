// Landlords' properties: create, list (with how many leases each has, and how many are
// active), read one with its leases, and update the name or address.
import type { Tx } from '@/server/db';
import type { Property } from '@/server/generated/prisma/client';
import type { LeaseStatus } from '@/server/generated/prisma/enums';
import type { Actor } from './actor';
import { notFound } from './errors';
import { appendEvent } from './events';
import { pageArgs, toPage, type Page, type PageInput } from './pagination';
import { dayFromDate } from './schedule';

export interface PropertyAddress {
  name: string;
  line1: string;
  line2?: string | null;
  city: string;
  /** Two-letter USPS code, upper case. */
  state: string;
  /** ZIP or ZIP+4. */
  postalCode: string;
}

const view = { id: true, name: true, line1: true, line2: true, city: true, state: true, postalCode: true, createdAt: true } as const;

export type PropertyView = Pick<Property, keyof typeof view>;

export interface PropertyListItem extends PropertyView {
  leaseCount: number;
  activeLeaseCount: number;
}

export interface PropertyLeaseSummary {
  id: string;
  status: LeaseStatus;
  renterEmail: string;
  renter: { id: string; name: string } | null;
  monthlyRentCents: number;
  /** YYYY-MM-DD */
  startDate: string;
  termMonths: number;
  createdAt: Date;
}

export interface PropertyDetail extends PropertyListItem {
  leases: PropertyLeaseSummary[];
}

const toView = (property: Property): PropertyView => ({
  id: property.id,
  name: property.name,
  line1: property.line1,
  line2: property.line2,
  city: property.city,
  state: property.state,
  postalCode: property.postalCode,
  createdAt: property.createdAt,
});

/** The property as its events record it. */
export function propertySnapshot(property: Property) {
  return { ...toView(property), landlordId: property.landlordId, createdAt: property.createdAt.toISOString() };
}

export async function createProperty(tx: Tx, actor: Actor, input: PropertyAddress): Promise<PropertyView> {
  const property = await tx.property.create({ data: { ...input, line2: input.line2 ?? null, landlordId: actor.id } });
  await appendEvent(tx, { aggregateType: 'Property', aggregateId: property.id, type: 'property.created', actor, data: propertySnapshot(property) });
  return toView(property);
}

/** Lease counts of these properties, in one grouped query over the propertyId index. */
async function leaseCounts(tx: Tx, propertyIds: string[]): Promise<Map<string, { leaseCount: number; activeLeaseCount: number }>> {
  const groups = await tx.lease.groupBy({ by: ['propertyId', 'status'], where: { propertyId: { in: propertyIds } }, _count: { _all: true } });
  const counts = new Map(propertyIds.map((id) => [id, { leaseCount: 0, activeLeaseCount: 0 }]));
  for (const group of groups) {
    const count = counts.get(group.propertyId)!;
    count.leaseCount += group._count._all;
    if (group.status === 'ACTIVE') count.activeLeaseCount += group._count._all;
  }
  return counts;
}

export async function listProperties(tx: Tx, actor: Actor, input: PageInput): Promise<Page<PropertyListItem>> {
  const page = toPage(await tx.property.findMany({ where: { landlordId: actor.id }, select: view, ...pageArgs(input) }), input.limit);
  const counts = await leaseCounts(tx, page.items.map((property) => property.id));
  return { ...page, items: page.items.map((property) => ({ ...property, ...counts.get(property.id)! })) };
}

export async function getProperty(tx: Tx, actor: Actor, input: { id: string }): Promise<PropertyDetail> {
  const property = await tx.property.findFirst({
    where: { id: input.id, landlordId: actor.id },
    select: {
      ...view,
      leases: {
        orderBy: { createdAt: 'desc' },
        select: {
          id: true,
          status: true,
          renterEmail: true,
          renter: { select: { id: true, name: true } },
          monthlyRentCents: true,
          startDate: true,
          termMonths: true,
          createdAt: true,
        },
      },
    },
  });
  if (!property) throw notFound('Property');
  const leases = property.leases.map((lease) => ({ ...lease, startDate: dayFromDate(lease.startDate) }));
  return {
    ...property,
    leases,
    leaseCount: leases.length,
    activeLeaseCount: leases.filter((lease) => lease.status === 'ACTIVE').length,
  };
}

/** Changes the given fields; an update that changes nothing records nothing. */
export async function updateProperty(tx: Tx, actor: Actor, input: { id: string } & Partial<PropertyAddress>): Promise<PropertyView> {
  const { id, ...changes } = input;
  const current = await tx.property.findFirst({ where: { id, landlordId: actor.id } });
  if (!current) throw notFound('Property');
  const changed = (Object.keys(changes) as (keyof PropertyAddress)[]).some((field) => changes[field] !== undefined && changes[field] !== current[field]);
  if (!changed) return toView(current);
  const [updated] = await tx.property.updateManyAndReturn({ where: { id, landlordId: actor.id }, data: changes });
  if (!updated) throw notFound('Property');
  await appendEvent(tx, { aggregateType: 'Property', aggregateId: id, type: 'property.updated', actor, data: propertySnapshot(updated) });
  return toView(updated);
}
