// Input of the dashboard's forms, checked the same way in the browser and in the server actions.
import { z } from 'zod';
import { textProblem } from '@/server/domain/text';

/** NUL, and half of a surrogate pair: PostgreSQL's jsonb cannot store either (22P05, 22P02). */
const UNSTORABLE = /\u0000|\p{Cs}/u;

/** Whether a key or string anywhere in a parsed JSON value is one PostgreSQL cannot store. */
function holdsUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') return UNSTORABLE.test(value);
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([key, item]) => UNSTORABLE.test(key) || holdsUnstorableText(item));
}

/** A name typed into the dashboard (an event's, a function's id): one line of text (server/domain/text.ts). */
const nameText = (empty: string) =>
  z
    .string()
    .trim()
    .min(1, empty)
    .max(200)
    .superRefine((name, ctx) => {
      const problem = textProblem(name);
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
  // Found by a stranger: the engine's insert failed on them, and the action answered 500.
  if (holdsUnstorableText(value)) {
    ctx.addIssue({ code: 'custom', message: 'Text in it must not hold \\u0000 or half of a surrogate pair (\\ud800–\\udfff alone)' });
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
