// Reading tRPC errors for forms: field errors go next to their inputs, the message on top.
import { TRPCClientError } from '@trpc/client';

export type FieldErrors = Record<string, string[] | undefined>;

export function fieldErrorsOf(error: unknown): FieldErrors {
  if (error instanceof TRPCClientError) return ((error.data as { fieldErrors?: FieldErrors } | undefined)?.fieldErrors ?? {}) as FieldErrors;
  return {};
}

/** The tRPC error code of a failed call ('NOT_FOUND', …), or null for a failure that is not one. */
export function errorCodeOf(error: unknown): string | null {
  return error instanceof TRPCClientError ? ((error.data as { code?: string } | undefined)?.code ?? null) : null;
}

export function messageOf(error: unknown): string {
  // The browser's fetch failure, also when tRPC wraps it in a TRPCClientError with its message.
  if (error instanceof Error && error.message === 'Failed to fetch') return 'Cannot reach DirectPay. Check your connection and try again.';
  if (error instanceof TRPCClientError) {
    const code = (error.data as { code?: string } | undefined)?.code;
    if (code === 'INTERNAL_SERVER_ERROR') return 'Something went wrong on our side. Please try again.';
    return error.message;
  }
  return 'Something went wrong. Please try again.';
}

/**
 * What a form shows after a submit: the server's field errors overlaid by the client's own
 * check, and the server's message on top only when it named no field (else the fields say it).
 */
export function formErrors(serverError: unknown, clientErrors: FieldErrors): { errors: FieldErrors; topMessage: string | null } {
  const serverErrors = fieldErrorsOf(serverError);
  const namesAField = Object.keys(serverErrors).length > 0;
  return { errors: { ...serverErrors, ...clientErrors }, topMessage: serverError && !namesAField ? messageOf(serverError) : null };
}

/** Client-side check with the same zod schema the server uses, as field errors. */
export function zodFieldErrors(issues: { path: PropertyKey[]; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = String(issue.path[0] ?? '');
    (errors[key] ??= []).push(issue.message);
  }
  return errors;
}

/**
 * A dollar amount typed by a person ("1,500", "$1500.5", "1500.50") as integer cents, read
 * digit by digit so no float ever touches money; null when it is not an amount.
 */
export function centsFromDollars(text: string): number | null {
  const match = /^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return null;
  const dollars = Number(match[1]!.replaceAll(',', ''));
  const cents = Number((match[2] ?? '').padEnd(2, '0'));
  const total = dollars * 100 + cents;
  return Number.isSafeInteger(total) ? total : null;
}
