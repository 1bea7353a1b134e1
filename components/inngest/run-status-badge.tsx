import { Badge, StatusBadge } from '@/components/ui/badge';

/** A run's or step's status (engine words are lowercase) in the app's status colours. */
export function RunStatusBadge({ status }: { status: string }) {
  if (status === 'retrying') return <Badge tone="yellow">Retrying</Badge>;
  if (status === 'invoking') return <Badge tone="purple">Invoking</Badge>;
  return <StatusBadge status={status.toUpperCase()} />;
}
