'use client';
// The one confirmation for actions that cannot be undone (cancel a payment, turn autopay off,
// revoke a token, delete a webhook endpoint, deactivate an account, sign out everywhere): a
// button that opens a modal dialog stating the consequence, with "keep" focused first. It is
// the browser's own <dialog>: focus stays inside while it is open, Escape cancels, and focus
// returns to the button that opened it.
import { useRef, useId, type ReactNode } from 'react';
import { Button, type ButtonProps } from './button';

export interface ConfirmButtonProps extends Omit<ButtonProps, 'onClick' | 'children'> {
  /** The button's label, e.g. "Cancel payment". */
  children: ReactNode;
  /** The dialog's question, e.g. "Cancel this payment?" */
  title: string;
  /** What happens, in plain words: "Rent stays unpaid until you pay it again." */
  consequence: ReactNode;
  /** The confirming button's label, distinct from the opening one: "Yes, cancel it". */
  confirmLabel: ReactNode;
  /** The button that closes the dialog and changes nothing. */
  keepLabel?: string;
  onConfirm: () => void;
}

export function ConfirmButton({ children, title, consequence, confirmLabel, keepLabel = 'Keep it', onConfirm, variant = 'danger', ...button }: ConfirmButtonProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const bodyId = useId();
  return (
    <>
      <Button {...button} variant={variant} aria-haspopup="dialog" onClick={() => dialog.current?.showModal()}>
        {children}
      </Button>
      <dialog
        ref={dialog}
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={bodyId}
        className="m-auto w-[min(28rem,calc(100vw-2rem))] whitespace-normal rounded-lg border border-slate-200 bg-white p-0 text-left shadow-xl backdrop:bg-slate-900/40"
      >
        <div className="space-y-3 p-5">
          <h2 id={titleId} className="text-base font-semibold text-slate-900">
            {title}
          </h2>
          <div id={bodyId} className="text-sm text-slate-700">
            {consequence}
          </div>
          <div className="flex flex-wrap justify-end gap-2 pt-2">
            {/* Focused first: Enter on an opened dialog keeps things as they are. */}
            <Button variant="secondary" autoFocus onClick={() => dialog.current?.close()}>
              {keepLabel}
            </Button>
            <Button
              variant={variant}
              onClick={() => {
                dialog.current?.close();
                onConfirm();
              }}
            >
              {confirmLabel}
            </Button>
          </div>
        </div>
      </dialog>
    </>
  );
}
