import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { PageHeader } from '@/components/ui/card';
import { ApiTokens } from '@/components/settings/api-tokens';
import { AccountSettings } from '@/components/settings/account';
import { EmailPreferences } from '@/components/settings/email-preferences';
import { Webhooks } from '@/components/settings/webhooks';
import { getSessionUser } from '@/server/session';
import { getQueryClient, trpcServer } from '@/server/api/caller';
import { HydrateClient } from '@/components/trpc/hydrate';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  const user = await getSessionUser();
  if (!user) redirect('/sign-in');
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpcServer.apiToken.list.queryOptions()),
    queryClient.prefetchQuery(trpcServer.me.emailPreferences.queryOptions()),
    queryClient.prefetchQuery(trpcServer.webhook.list.queryOptions()),
  ]);
  return (
    <>
      <PageHeader title="Settings" description="Which notices come by email, your password and sessions, and how your own programs reach DirectPay: API tokens to call it, webhooks to be called." />
      <div className="space-y-6">
        <HydrateClient>
          <EmailPreferences />
          <ApiTokens />
          <Webhooks />
        </HydrateClient>
        <AccountSettings />
      </div>
    </>
  );
}
