import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { PageHeader } from '@/components/ui/card';
import { ApiTokens } from '@/components/settings/api-tokens';
import { AccountSettings } from '@/components/settings/account';
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
      <PageHeader title="Settings" description="Your password, your sessions, and personal API tokens that let your own programs call the DirectPay API as you." />
      <div className="space-y-6">
        <HydrateClient>
          <ApiTokens />
        </HydrateClient>
        <AccountSettings />
      </div>
    </>
  );
}
