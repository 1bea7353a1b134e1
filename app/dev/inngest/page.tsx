// Runs, newest first, filtered by function, status and time; live. Below them, what operators
// recently did here (operator_actions).
import type { Metadata } from 'next';
import { engineDashboard } from '@/inngest/dashboard';
import { AutoRefresh } from '@/components/inngest/auto-refresh';
import { OperatorActionsTable } from '@/components/inngest/operator-actions';
import { RunFilters } from '@/components/inngest/run-filters';
import { RunTable } from '@/components/inngest/run-table';
import { ButtonLink } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { requireOperator } from './access';
import { runFilterOf, searchWith } from './filters';

export const metadata: Metadata = { title: 'Runs' };

const PAGE_SIZE = 50;
/** Operator actions shown under the runs, newest first. */
const RECENT_ACTIONS = 10;

export default async function RunsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireOperator();
  const params = await searchParams;
  const [apps, { runs, asOf }, actions] = await Promise.all([
    engineDashboard.apps(),
    engineDashboard.runs({ ...runFilterOf(params), limit: PAGE_SIZE }),
    engineDashboard.operatorActions(RECENT_ACTIONS),
  ]);
  const functions = apps.flatMap((app) => app.functions);
  const names = new Map(functions.map((fn) => [fn.id, fn.name]));
  return (
    <div className="space-y-6">
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
      <Card>
        <CardHeader title="Operator actions" description={`The last ${RECENT_ACTIONS}, newest first: who sent an event, invoked a function, or cancelled or reran a run here.`} />
        <CardBody>
          <OperatorActionsTable actions={actions} />
        </CardBody>
      </Card>
    </div>
  );
}
