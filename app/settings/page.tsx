import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/card';
import { ApiTokens } from '@/components/settings/api-tokens';
import { AccountSettings } from '@/components/settings/account';
import { EmailPreferences } from '@/components/settings/email-preferences';
import { Webhooks } from '@/components/settings/webhooks';
import { requireUser } from '@/server/session';
import { getQueryClient, trpcServer } from '@/server/api/caller';
import { HydrateClient } from '@/components/trpc/hydrate';

export const metadata: Metadata = { title: 'Settings' };

const SECTIONS = [
  ['account', 'Account'],
  ['notifications', 'Notifications'],
  ['api-tokens', 'API tokens'],
  ['webhooks', 'Webhooks'],
] as const;

export default async function SettingsPage() {
  await requireUser(); // the layout has checked too; pages render beside it, not after it
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpcServer.apiToken.list.queryOptions()),
    queryClient.prefetchQuery(trpcServer.me.emailPreferences.queryOptions()),
    queryClient.prefetchQuery(trpcServer.webhook.list.queryOptions()),
    queryClient.prefetchQuery(trpcServer.me.get.queryOptions()),
  ]);
  return (
    <>
      <PageHeader title="Settings" description="Your account, which notices come by email, and how your own programs reach DirectPay: API tokens to call it, webhooks to be called." />
      <nav aria-label="Settings sections" className="mb-6 flex flex-wrap gap-x-4 gap-y-2 text-sm">
        {SECTIONS.map(([id, label]) => (
          <a key={id} href={`#${id}`} className="font-medium text-brand-700 hover:underline">
            {label}
          </a>
        ))}
      </nav>
      <div className="space-y-6">
        <HydrateClient>
          <section id="account" aria-label="Account" className="scroll-mt-4">
            <AccountSettings />
          </section>
          <section id="notifications" aria-label="Notifications" className="scroll-mt-4">
            <EmailPreferences />
          </section>
          <section id="api-tokens" aria-label="API tokens" className="scroll-mt-4">
            <ApiTokens />
          </section>
          {/* Its card is #webhooks itself. */}
          <Webhooks />
        </HydrateClient>
      </div>
    </>
  );
}
