import type { HTMLAttributes, ReactNode, TdHTMLAttributes, ThHTMLAttributes } from 'react';
import { cx } from './cx';

/**
 * A data table. From the `sm` breakpoint (640 px) up it is a plain table (scrolling sideways if
 * it must); below it every row becomes a stacked card, each cell a "label — value" line, so a
 * phone shows every column (amount and status included) without scrolling sideways. The layout
 * lives in app/globals.css (`.stacked-table`); each `Td` names its column with `label`.
 */
export function Table({ className, ...props }: HTMLAttributes<HTMLTableElement>) {
  return (
    <div className="sm:overflow-x-auto">
      <table className={cx('stacked-table min-w-full divide-y divide-slate-200 text-sm', className)} {...props} />
    </div>
  );
}

/** The column headers: kept for screen readers below `sm`, where each cell shows its own label. */
export function THead(props: HTMLAttributes<HTMLTableSectionElement>) {
  return <thead className="bg-slate-50" {...props} />;
}

export function TBody(props: HTMLAttributes<HTMLTableSectionElement>) {
  return <tbody className="divide-y divide-slate-100 bg-white" {...props} />;
}

export function Th({ className, ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return <th scope="col" className={cx('px-4 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-600', className)} {...props} />;
}

export interface TdProps extends TdHTMLAttributes<HTMLTableCellElement> {
  /**
   * The column's name, shown beside the value when the row is a stacked card (below `sm`).
   * Hidden from assistive technology: the table's own column header already names the cell.
   * Cells without one (actions, totals' spacers) span the card's width.
   */
  label?: ReactNode;
  /**
   * Text that may wrap (names people typed, descriptions): without it a cell stays on one line,
   * and a long property name pushed the amount and status out of the card.
   */
  wrap?: boolean;
}

export function Td({ className, label, wrap = false, children, ...props }: TdProps) {
  return (
    <td className={cx(wrap ? 'whitespace-normal break-words' : 'whitespace-nowrap', 'px-4 py-3 text-slate-700', label !== undefined && STACKED_CELL, className)} {...props}>
      {label !== undefined ? <StackedCell label={label}>{children}</StackedCell> : children}
    </td>
  );
}

/** The class of a cell that holds a `StackedCell` (Td adds it itself). */
export const STACKED_CELL = 'stacked-cell';

/**
 * A cell's content with its column's label for the stacked layout: for a plain `<td>` of a
 * table styled on its own (a printable statement) that still takes the `stacked-table` class.
 */
export function StackedCell({ label, children }: { label: ReactNode; children?: ReactNode }) {
  return (
    <>
      <span aria-hidden className="stacked-label">
        {label}
      </span>
      <div className="stacked-value">{children}</div>
    </>
  );
}
