// A lease's installment schedule: the stored one (with statuses) or a preview of one not yet
// created (buildSchedule in the browser). Both render the same rows, so what a landlord
// previews is what either party sees later. Each row is named by its month ("November 2026
// rent", installmentLabel) and shows the server's state (installment-state.ts), never one decided here.
import { formatCents, formatDate } from '@/components/format';
import type { InstallmentState } from '@/server/domain/installment-state';
import { StatusBadge } from '@/components/ui/badge';
import { Table, TBody, Td, Th, THead } from '@/components/ui/table';

export interface ScheduleRow {
  number: number;
  /** YYYY-MM-DD */
  dueDate: string;
  /** "November 2026 rent", or "November 2026 rent (prorated)" (installmentLabel). */
  label: string;
  amountCents: number;
  /** The server's answer (installment-state.ts); absent in a preview: nothing is due before the lease exists. */
  state?: InstallmentState;
  /** The last payment failed or came back: "Insufficient funds (R01)". */
  lastFailure?: string | null;
  /** Late fee charged and not waived, in cents. */
  lateFeeCents?: number;
}

/** One more column after Status, e.g. each installment's payment (filled by the payments area). */
export interface ScheduleColumn<T> {
  header: string;
  cell: (row: T) => React.ReactNode;
}

export function ScheduleTable<T extends ScheduleRow>({ rows, caption, extraColumn }: { rows: T[]; caption?: string; extraColumn?: ScheduleColumn<T> }) {
  const showStatus = rows.some((row) => row.state);
  const total = rows.reduce((sum, row) => sum + row.amountCents, 0);
  return (
    <Table aria-label={caption ?? 'Installment schedule'}>
      <THead>
        <tr>
          <Th>Rent for</Th>
          <Th>Due date</Th>
          <Th className="text-right">Amount</Th>
          {showStatus && <Th>Status</Th>}
          {extraColumn && <Th>{extraColumn.header}</Th>}
        </tr>
      </THead>
      <TBody>
        {rows.map((row) => (
          <tr key={row.number} data-testid="schedule-row">
            <Td label="Rent for" className="whitespace-nowrap font-medium text-slate-900">
              {row.label}
            </Td>
            <Td label="Due date">{formatDate(row.dueDate)}</Td>
            <Td label="Amount" className="text-right tabular-nums font-medium text-slate-900">
              {formatCents(row.amountCents)}
              {Boolean(row.lateFeeCents) && <span className="block text-xs font-normal text-red-700">+ {formatCents(row.lateFeeCents!)} late fee</span>}
            </Td>
            {showStatus && (
              <Td label="Status">
                {row.state && <StatusBadge status={row.state} />}
                {row.lastFailure && (
                  <span className="mt-1 block text-xs text-red-700" data-testid="installment-failure">
                    {row.lastFailure}
                  </span>
                )}
              </Td>
            )}
            {extraColumn && <Td label={extraColumn.header}>{extraColumn.cell(row)}</Td>}
          </tr>
        ))}
      </TBody>
      <tfoot className="border-t border-slate-200 bg-slate-50">
        <tr>
          <Td colSpan={2} className="font-medium text-slate-700">
            {rows.length} installment{rows.length === 1 ? '' : 's'}
          </Td>
          <Td label="Total" className="text-right tabular-nums font-semibold text-slate-900" data-testid="schedule-total">
            {formatCents(total)}
          </Td>
          {showStatus && <Td />}
          {extraColumn && <Td />}
        </tr>
      </tfoot>
    </Table>
  );
}
