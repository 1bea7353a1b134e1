import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { cx } from './cx';

const control =
  'block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-500 focus:outline-2 focus:outline-offset-0 focus:outline-brand-500 disabled:bg-slate-100';

interface FieldProps {
  label: string;
  /** Error text shown under the control (first of a list). */
  error?: string | string[] | null;
  hint?: ReactNode;
}

function FieldFrame({ id, label, error, hint, children }: FieldProps & { id: string; children: ReactNode }) {
  const message = Array.isArray(error) ? error[0] : error;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children}
      {message ? (
        <p id={`${id}-error`} role="alert" className="text-sm text-red-600">
          {message}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

function describedBy(id: string, error: FieldProps['error'], hint: ReactNode) {
  if (error && error.length) return `${id}-error`;
  return hint ? `${id}-hint` : undefined;
}

export function Input({ label, error, hint, className, id, ...props }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const generated = useId();
  const inputId = id ?? generated;
  const invalid = Boolean(error && error.length);
  return (
    <FieldFrame id={inputId} label={label} error={error} hint={hint}>
      <input
        id={inputId}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(inputId, error, hint)}
        className={cx(control, invalid ? 'border-red-400' : 'border-slate-300', className)}
        {...props}
      />
    </FieldFrame>
  );
}

export function Select({ label, error, hint, className, id, children, ...props }: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const generated = useId();
  const selectId = id ?? generated;
  const invalid = Boolean(error && error.length);
  return (
    <FieldFrame id={selectId} label={label} error={error} hint={hint}>
      <select
        id={selectId}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(selectId, error, hint)}
        className={cx(control, invalid ? 'border-red-400' : 'border-slate-300', className)}
        {...props}
      >
        {children}
      </select>
    </FieldFrame>
  );
}

export function Textarea({ label, error, hint, className, id, ...props }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const generated = useId();
  const textareaId = id ?? generated;
  const invalid = Boolean(error && error.length);
  return (
    <FieldFrame id={textareaId} label={label} error={error} hint={hint}>
      <textarea
        id={textareaId}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(textareaId, error, hint)}
        className={cx(control, 'font-mono', invalid ? 'border-red-400' : 'border-slate-300', className)}
        {...props}
      />
    </FieldFrame>
  );
}
