'use client';
// The "Verify" button of a timeline: asks the server to recompute this aggregate's hash chain
// (audit.verify) and says what it found, in a live region screen readers announce.
import { useQuery } from '@tanstack/react-query';
import { messageOf } from '@/components/forms';
import { useTRPC } from '@/components/trpc/react';
import type { AggregateType } from '@/server/domain/events';
import { Button } from '@/components/ui/button';

type Aggregate = { type: AggregateType; id: string };

export function VerifyChain({ aggregate }: { aggregate: Aggregate }) {
  const trpc = useTRPC();
  const verify = useQuery({ ...trpc.audit.verify.queryOptions({ aggregateType: aggregate.type, aggregateId: aggregate.id }), enabled: false, staleTime: 0, gcTime: 0, retry: false });
  let answer = '';
  let tone = 'text-slate-600';
  if (verify.isFetching) answer = 'Verifying…';
  else if (verify.isError) {
    answer = `Could not verify: ${messageOf(verify.error)}`;
    tone = 'text-red-700';
  } else if (verify.data) {
    const { events, broken } = verify.data;
    const first = broken[0];
    if (first) {
      answer = `Chain broken at event #${first.sequence}: ${first.reason}`;
      tone = 'text-red-700';
    } else {
      answer = `Verified: ${events} event${events === 1 ? '' : 's'}, chain intact`;
      tone = 'text-emerald-700';
    }
  }
  return (
    <div className="flex flex-wrap items-center gap-2">
      <span role="status" className={`text-sm ${tone}`}>
        {answer}
      </span>
      <Button variant="secondary" size="sm" pending={verify.isFetching} onClick={() => void verify.refetch()}>
        Verify
      </Button>
    </div>
  );
}
