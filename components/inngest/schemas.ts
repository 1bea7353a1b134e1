// Input of the dashboard's forms, checked the same way in the browser and in the server actions.
import { z } from 'zod';

/** A textarea holding a JSON object (event data, an invocation payload). */
export const jsonObjectText = z.string().transform((text, ctx) => {
  let value: unknown;
  try {
    value = JSON.parse(text.trim() || '{}');
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` });
    return z.NEVER;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: 'Must be a JSON object, like {"paymentId": "…"}' });
    return z.NEVER;
  }
  return value as Record<string, unknown>;
});

export const sendEventInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Name the event, like payment/created')
    .max(200)
    .refine((name) => !name.startsWith('inngest/'), 'Names starting with inngest/ are reserved for Inngest itself'),
  data: jsonObjectText,
});

export const invokeInput = z.object({ functionId: z.string().min(1), data: jsonObjectText });

export const runIdInput = z.object({ runId: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'Not a run id') });

/** What a dashboard action answers to its form. */
export interface ActionState {
  ok?: boolean;
  message?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  /** Runs the action started, for links. */
  runIds?: string[];
  eventId?: string;
}
