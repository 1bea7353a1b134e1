'use client';
// Which notices also come by email: one checkbox per notice kind, saved as it is ticked.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc/react';
import { messageOf } from '@/components/forms';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { ErrorState, LoadingRows } from '@/components/ui/states';

export function EmailPreferences() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const prefs = useQuery(trpc.me.emailPreferences.queryOptions());
  const save = useMutation(
    trpc.me.setEmailPreferences.mutationOptions({ onSuccess: (data) => queryClient.setQueryData(trpc.me.emailPreferences.queryKey(), data) }),
  );
  return (
    <Card id="email">
      <CardHeader title="Notifications" description="Every notice appears under the bell; tick the ones you also want by email." />
      <CardBody className="space-y-2">
        {save.error && <ErrorState message={messageOf(save.error)} />}
        {prefs.isPending ? (
          <LoadingRows rows={2} />
        ) : prefs.isError ? (
          <ErrorState message={messageOf(prefs.error)} onRetry={() => void prefs.refetch()} />
        ) : (
          <fieldset className="space-y-2" disabled={save.isPending}>
            <legend className="sr-only">Notices by email</legend>
            {prefs.data.map((pref) => (
              <label key={pref.kind} className="flex items-center gap-2 text-sm text-slate-700">
                <input
                  type="checkbox"
                  className="h-4 w-4 rounded border-slate-300"
                  checked={pref.email}
                  onChange={(event) => save.mutate({ email: { [pref.kind]: event.target.checked } })}
                />
                {pref.label}
              </label>
            ))}
          </fieldset>
        )}
      </CardBody>
    </Card>
  );
}
