'use client';
// Collected vs due per month as a bar chart (recharts), with the same figures as a table for
// anyone who cannot or would rather not read a chart: the figure has a caption and a text
// summary (aria-describedby), the SVG its own title and description, and the table sits in a
// <details> right under it. Bars are drawn at once, without recharts' grow-in animation (people
// who prefer reduced motion, printing, and screenshots all see the figures as they are).
import { useId } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCents, formatMonth } from '@/components/format';
import { Table, TBody, Td, Th, THead } from '@/components/ui/table';

export interface MonthFigures {
  month: string;
  dueCents: number;
  collectedCents: number;
  returnableCents: number;
}

// Bars at ≥ 3:1 on white (WCAG 1.4.11): slate-500 and emerald-600.
const COLORS = { due: '#64748b', collected: '#059669' };

/** "$12k" for the axis: whole dollars, compact. */
const axisDollars = (cents: number) => `$${new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(cents / 100)}`;

export function CollectionChart({ months }: { months: MonthFigures[] }) {
  const captionId = useId();
  const summaryId = useId();
  const data = months.map((m) => ({ ...m, label: formatMonth(m.month) }));
  const due = months.reduce((sum, m) => sum + m.dueCents, 0);
  const collected = months.reduce((sum, m) => sum + m.collectedCents, 0);
  const returnable = months.reduce((sum, m) => sum + m.returnableCents, 0);
  const range = months.length ? `${formatMonth(months[0]!.month)} to ${formatMonth(months.at(-1)!.month)}` : '';
  const summary = `From ${range}, ${formatCents(due)} of rent fell due and ${formatCents(collected)} was collected${returnable ? `, of which ${formatCents(returnable)} can still be returned by the bank` : ''}.`;
  return (
    <figure aria-labelledby={captionId} aria-describedby={summaryId} data-testid="collection-chart">
      <figcaption id={captionId} className="sr-only">
        Collected vs due per month, {range}
      </figcaption>
      <p id={summaryId} className="mb-3 text-sm text-slate-600">
        {summary}
      </p>
      {due === 0 && collected === 0 ? (
        // An axis of five "$0" ticks says nothing: say it in words instead.
        <p className="rounded-md border border-dashed border-slate-300 px-4 py-10 text-center text-sm text-slate-500" data-testid="collection-chart-empty">
          No rent fell due and none was collected in these 12 months yet.
        </p>
      ) : (
      <div className="h-72 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} title={`Collected vs due per month, ${range}`} desc={summary} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 12 }} interval="preserveStartEnd" />
            <YAxis tickFormatter={axisDollars} tick={{ fontSize: 12 }} width={56} />
            <Tooltip formatter={(value) => formatCents(Number(value))} />
            <Legend itemSorter={null} formatter={(value: string) => <span className="text-slate-700">{value}</span>} />
            <Bar dataKey="dueCents" name="Due" fill={COLORS.due} radius={[3, 3, 0, 0]} isAnimationActive={false} />
            <Bar dataKey="collectedCents" name="Collected" fill={COLORS.collected} radius={[3, 3, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      )}
      <details className="mt-3 rounded-md border border-slate-200">
        <summary className="cursor-pointer px-3 py-2 text-sm font-medium text-slate-700">The numbers as a table</summary>
        <Table aria-label="Collected vs due per month">
          <THead>
            <tr>
              <Th>Month</Th>
              <Th className="text-right">Due</Th>
              <Th className="text-right">Collected</Th>
              <Th className="text-right">Of which returnable</Th>
              <Th className="text-right">Collected − due</Th>
            </tr>
          </THead>
          <TBody>
            {months.map((m) => (
              <tr key={m.month} data-testid="month-row" data-month={m.month}>
                <th scope="row" className="whitespace-nowrap px-4 py-3 text-left font-medium text-slate-700">
                  {formatMonth(m.month)}
                </th>
                <Td label="Due" className="text-right tabular-nums">{formatCents(m.dueCents)}</Td>
                <Td label="Collected" className="text-right tabular-nums">{formatCents(m.collectedCents)}</Td>
                <Td label="Of which returnable" className="text-right tabular-nums">{formatCents(m.returnableCents)}</Td>
                <Td label="Collected − due" className="text-right tabular-nums">{formatCents(m.collectedCents - m.dueCents)}</Td>
              </tr>
            ))}
            <tr className="font-semibold">
              <th scope="row" className="px-4 py-3 text-left text-slate-900">
                Total
              </th>
              <Td label="Due" className="text-right tabular-nums text-slate-900">{formatCents(due)}</Td>
              <Td label="Collected" className="text-right tabular-nums text-slate-900">{formatCents(collected)}</Td>
              <Td label="Of which returnable" className="text-right tabular-nums text-slate-900">{formatCents(returnable)}</Td>
              <Td label="Collected − due" className="text-right tabular-nums text-slate-900">{formatCents(collected - due)}</Td>
            </tr>
          </TBody>
        </Table>
      </details>
    </figure>
  );
}
