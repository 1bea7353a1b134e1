// Runs, newest first, filtered by function, status and time; live.
import type { Metadata } from 'next';
import { engineDashboard } from '@/inngest/dashboard';
import { AutoRefresh } from '@/components/inngest/auto-refresh';
import { RunFilters } from '@/components/inngest/run-filters';
import { RunTable } from '@/components/inngest/run-table';
import { ButtonLink } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { requireOperator } from './access';
import { runFilterOf, searchWith } from './filters';

export const metadata: Metadata = { title: 'Runs' };

const PAGE_SIZE = 50;

export default async function RunsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireOperator();
  const params = await searchParams;
  const [apps, { runs, asOf }] = await Promise.all([engineDashboard.apps(), engineDashboard.runs({ ...runFilterOf(params), limit: PAGE_SIZE })]);
  const functions = apps.flatMap((app) => app.functions);
  const names = new Map(functions.map((fn) => [fn.id, fn.name]));
  return (
    <Card>
      <CardHeader title="Runs" description="Newest first. Open a run for its steps." actions={<AutoRefresh />} />
      <CardBody className="space-y-4">
        <RunFilters functions={functions.map((fn) => ({ id: fn.id, name: fn.name }))} />
        <RunTable runs={runs.map((run) => ({ ...run, functionName: names.get(run.functionId) ?? run.functionId }))} now={asOf.getTime()} />
        {runs.length === PAGE_SIZE && (
          <ButtonLink variant="secondary" size="sm" href={searchWith(params, { before: runs.at(-1)!.id })}>
            Older runs
          </ButtonLink>
        )}
      </CardBody>
    </Card>
  );
}
