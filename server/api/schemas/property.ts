// Input of property.*: also imported by the portal's forms, so it must stay free of
// server-only imports.
import { z } from 'zod';
import { cursorPage, id, optionalText, text } from './common';

/** USPS codes of the states, DC, the territories and the military "states". */
export const US_STATE_CODES: ReadonlySet<string> = new Set([
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY',
  'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND',
  'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY',
  'DC', 'AS', 'GU', 'MP', 'PR', 'VI', 'AA', 'AE', 'AP',
]);

const address = {
  name: text({ max: 100, missing: 'name the property' }),
  line1: text({ max: 100, missing: 'enter the street address' }),
  /** Apartment, suite, …; empty clears it. */
  line2: optionalText({ max: 100 }),
  city: text({ max: 60, missing: 'enter the city' }),
  // eslint-disable-next-line no-restricted-syntax -- not prose: a state code from the list
  state: z
    .string({ error: 'enter the state' })
    .trim()
    .toUpperCase()
    .refine((value) => US_STATE_CODES.has(value), 'must be a US state code such as CA or NY'),
  // eslint-disable-next-line no-restricted-syntax -- not prose: a ZIP code, checked by the regex
  postalCode: z
    .string({ error: 'enter the ZIP code' })
    .trim()
    .regex(/^\d{5}(-\d{4})?$/, 'must be a ZIP code: 12345 or 12345-6789'),
};

export const createPropertyInput = z.strictObject(address);
export type CreatePropertyInput = z.infer<typeof createPropertyInput>;

export const updatePropertyInput = z
  .strictObject({
    id,
    name: address.name.optional(),
    line1: address.line1.optional(),
    line2: address.line2,
    city: address.city.optional(),
    state: address.state.optional(),
    postalCode: address.postalCode.optional(),
  })
  .refine((input) => Object.keys(input).some((key) => key !== 'id' && input[key as keyof typeof input] !== undefined), 'change at least one field');

export const listPropertiesInput = z.strictObject(cursorPage).prefault({});
