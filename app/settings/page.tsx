import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { PageHeader } from '@/components/ui/card';
import { ApiTokens } from '@/components/settings/api-tokens';
import { getSessionUser } from '@/server/session';
import { getQueryClient, trpcServer } from '@/server/api/caller';
import { HydrateClient } from '@/components/trpc/hydrate';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  const user = await getSessionUser();
  if (!user) redirect('/sign-in');
  await getQueryClient().prefetchQuery(trpcServer.apiToken.list.queryOptions());
  return (
    <>
      <PageHeader title="Settings" description="Personal API tokens let your own programs call the DirectPay API as you." />
      <HydrateClient>
        <ApiTokens />
      </HydrateClient>
    </>
  );
}
