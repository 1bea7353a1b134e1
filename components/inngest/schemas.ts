// Input of the dashboard's forms, checked the same way in the browser and in the server actions.
import { z } from 'zod';
import { isBlankText, textProblem } from '@/server/domain/text';
import { unstorable } from '@/inngest/engine/context';

/** A name typed into the dashboard (an event's, a function's id): one line of text (server/domain/text.ts). */
const nameText = (empty: string) =>
  z
    .string()
    .trim()
    .min(1, empty)
    .max(200)
    .superRefine((name, ctx) => {
      const problem = textProblem(name) ?? (name !== '' && isBlankText(name) ? 'has nothing visible' : null);
      if (problem) ctx.addIssue({ code: 'custom', message: `The name ${problem}` });
    });

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
  // The engine's own rule (found by strangers: NUL or half a surrogate pair failed the engine's
  // insert, and 3,000 levels overflowed a recursive check; each answered 500).
  // Checked as the engine stores it, inside its event or payload (`{ data }`): one level deeper
  // (found by a stranger: 256 levels passed here and the engine refused them).
  const problem = unstorable({ data: value });
  if (problem) {
    ctx.addIssue({ code: 'custom', message: `Cannot be stored: ${problem}` });
    return z.NEVER;
  }
  return value as Record<string, unknown>;
});

export const sendEventInput = z.object({
  name: nameText('Name the event, like payment/created').refine((name) => !name.startsWith('inngest/'), 'Names starting with inngest/ are reserved for Inngest itself'),
  data: jsonObjectText,
});

export const invokeInput = z.object({ functionId: nameText('Choose a function'), data: jsonObjectText });

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
