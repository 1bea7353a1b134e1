'use server';
// The dashboard's actions. Server actions are reachable by anyone who can POST, so each
// checks access itself (requireOperator: a 404 for anyone but an operator) rather than
// trusting the page that rendered its form.
import { redirect } from 'next/navigation';
import { revalidatePath } from 'next/cache';
import { engineDashboard, OperatorError, type OperatorActionName } from '@/inngest/dashboard';
import { invokeInput, runIdInput, sendEventInput, type ActionState } from '@/components/inngest/schemas';
import { zodFieldErrors } from '@/components/forms';
import { isDatabaseUnavailable } from '@/server/db-errors';
import { logger } from '@/server/logger';
import { requireOperator } from './access';

/**
 * One `operator action` line per change an operator makes here: who, what, and on which run or
 * event. The engine also records each in operator_actions, in the action's own transaction
 * (shown on the runs page); the line is for log collectors.
 */
function logAction(operator: { id: string }, action: OperatorActionName, fields: Record<string, unknown>): void {
  logger.info({ operatorId: operator.id, action, ...fields }, 'operator action');
}

/**
 * The fields of an action's form, or null when what was sent is not a form: an action's
 * arguments are whatever its caller encoded (found: an operator's call with `5` for the form
 * answered 500), so each action checks before it reads.
 */
function formFields<Name extends string>(form: unknown, names: readonly Name[]): Record<Name, FormDataEntryValue | null> | null {
  if (!(form instanceof FormData)) return null;
  return Object.fromEntries(names.map((name) => [name, form.get(name)])) as Record<Name, FormDataEntryValue | null>;
}

const NOT_A_FORM: ActionState = { ok: false, message: 'Send the form.' };

/** What an operator reads when the database did not answer an action: it may or may not have been done. */
const ACTION_OUTAGE_MESSAGE = 'The database did not answer, so this may not have been done. Check the lists below before you try again.';

/**
 * An action's refusal as its form shows it: the engine's own (OperatorError), or a database that
 * did not answer (down, a statement past its timeout, a lock held elsewhere), logged once as
 * "database unavailable" (found by a stranger: both answered a bare 500). Anything else is a fault.
 */
function failure(error: unknown): ActionState {
  if (error instanceof OperatorError) return { ok: false, message: error.message };
  if (isDatabaseUnavailable(error)) {
    logger.warn({ err: error }, 'database unavailable');
    return { ok: false, message: ACTION_OUTAGE_MESSAGE };
  }
  throw error;
}

export async function sendTestEvent(_state: ActionState, form: FormData | unknown): Promise<ActionState> {
  const operator = await requireOperator();
  const fields = formFields(form, ['name', 'data']);
  if (!fields) return NOT_A_FORM;
  const input = sendEventInput.safeParse(fields);
  if (!input.success) return { ok: false, message: 'Check the event.', fieldErrors: zodFieldErrors(input.error.issues) };
  let sent: { ids: string[]; runIds: string[] };
  try {
    sent = await engineDashboard.sendEvent(operator, input.data);
  } catch (error) {
    return failure(error);
  }
  const { ids, runIds } = sent;
  logAction(operator, 'send-event', { eventName: input.data.name, eventIds: ids, runIds });
  revalidatePath('/dev/inngest', 'layout');
  const started = runIds.length ? `started ${runIds.length} run${runIds.length === 1 ? '' : 's'}` : 'no function is triggered by it';
  return { ok: true, message: `Sent ${input.data.name}: ${started}.`, eventId: ids[0], runIds };
}

export async function invokeFunction(_state: ActionState, form: FormData | unknown): Promise<ActionState> {
  const operator = await requireOperator();
  const fields = formFields(form, ['functionId', 'data']);
  if (!fields) return NOT_A_FORM;
  const input = invokeInput.safeParse(fields);
  if (!input.success) return { ok: false, message: 'Check the payload.', fieldErrors: zodFieldErrors(input.error.issues) };
  let runId: string;
  try {
    runId = await engineDashboard.invoke(operator, input.data.functionId, input.data.data);
  } catch (error) {
    return failure(error);
  }
  logAction(operator, 'invoke', { functionId: input.data.functionId, runId });
  redirect(`/dev/inngest/runs/${runId}`);
}

export async function cancelRun(_state: ActionState, form: FormData | unknown): Promise<ActionState> {
  const operator = await requireOperator();
  const fields = formFields(form, ['runId']);
  if (!fields) return NOT_A_FORM;
  const input = runIdInput.safeParse(fields);
  if (!input.success) return { ok: false, message: 'Not a run id.' };
  try {
    await engineDashboard.cancel(operator, input.data.runId);
  } catch (error) {
    return failure(error);
  }
  logAction(operator, 'cancel', { runId: input.data.runId });
  revalidatePath(`/dev/inngest/runs/${input.data.runId}`);
  return { ok: true, message: 'Cancelled: no further step will run.' };
}

export async function rerunRun(_state: ActionState, form: FormData | unknown): Promise<ActionState> {
  const operator = await requireOperator();
  const fields = formFields(form, ['runId']);
  if (!fields) return NOT_A_FORM;
  const input = runIdInput.safeParse(fields);
  if (!input.success) return { ok: false, message: 'Not a run id.' };
  let runId: string;
  try {
    runId = await engineDashboard.rerun(operator, input.data.runId);
  } catch (error) {
    return failure(error);
  }
  logAction(operator, 'rerun', { runId: input.data.runId, newRunId: runId });
  redirect(`/dev/inngest/runs/${runId}`);
}
