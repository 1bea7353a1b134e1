import { createTRPCRouter, landlordProcedure } from '@/server/api/trpc';
import { byId } from '@/server/api/schemas/common';
import { createPropertyInput, listPropertiesInput, updatePropertyInput } from '@/server/api/schemas/property';
import { createProperty, getProperty, listProperties, updateProperty } from '@/server/domain/properties';

export const propertyRouter = createTRPCRouter({
  create: landlordProcedure.input(createPropertyInput).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => createProperty(tx, ctx.actor, input))),
  /** Each property with leaseCount and activeLeaseCount. */
  list: landlordProcedure.input(listPropertiesInput).query(({ ctx, input }) => listProperties(ctx.db, ctx.actor, input)),
  /** The property with its leases. */
  byId: landlordProcedure.input(byId).query(({ ctx, input }) => getProperty(ctx.db, ctx.actor, input)),
  update: landlordProcedure.input(updatePropertyInput).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => updateProperty(tx, ctx.actor, input))),
});
