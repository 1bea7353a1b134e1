import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { PageHeader } from '@/components/ui/card';
import { InngestNavTabs } from '@/components/inngest/nav-tabs';
import { requireOperator } from './access';

export const metadata: Metadata = { title: { default: 'Background runs', template: '%s · Background runs · DirectPay' } };

export default async function InngestDashboardLayout({ children }: { children: ReactNode }) {
  await requireOperator();
  return (
    <>
      <PageHeader title="Background runs" description="The local Inngest engine: synced functions, the event stream, and every run with its steps." />
      <InngestNavTabs />
      {children}
    </>
  );
}
